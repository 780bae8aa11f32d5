// Durations as int64 nanoseconds, and their text form as Prometheus, Loki and Go write them
// ("30s", "1h30m", "7d", "250ms", "1.5h"). Used by shared/config for every time option, by LogQL
// for range and offset durations, and by the HTTP API for step and since. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::time {

inline constexpr int64_t kNanosecond = 1;
inline constexpr int64_t kMicrosecond = 1'000 * kNanosecond;
inline constexpr int64_t kMillisecond = 1'000 * kMicrosecond;
inline constexpr int64_t kSecond = 1'000 * kMillisecond;
inline constexpr int64_t kMinute = 60 * kSecond;
inline constexpr int64_t kHour = 60 * kMinute;
inline constexpr int64_t kDay = 24 * kHour;  // always 24h (no DST, no leap seconds)
inline constexpr int64_t kWeek = 7 * kDay;
inline constexpr int64_t kYear = 365 * kDay;  // always 365d, as in Prometheus

// Parses a duration into nanoseconds. Accepts the union of Prometheus' model.ParseDuration and
// Go's time.ParseDuration, with one rule from Prometheus applied to both:
//   [ '+' | '-' ] ( "0" | component+ )     component = number unit
//   number: digits with an optional fraction ("1.5", ".5", "2."), so "1.5h" is 90m
//   unit (case-sensitive): y (365d) w d h m s ms us µs μs ns  (µ U+00B5 and μ U+03BC)
//   units must appear in this descending order, each at most once: "1h30m" is accepted, "5m1h"
//   and "1m1m" are rejected (Go accepts them; Prometheus does not).
// "0" alone needs no unit. A fraction's part below 1ns is truncated toward zero.
// A leading '-' gives a negative duration (LogQL offsets may be negative); callers that need a
// positive value check the sign themselves. The range is that of int64 nanoseconds, about
// +-292 years ("-9223372036854775808ns" is the smallest).
// Returns InvalidArgument quoting `text` for an empty text, spaces, a missing number or unit, an
// unknown or out-of-order unit, or overflow; the message says what is expected.
Result<int64_t> ParseDuration(std::string_view text);

// Formats `nanos` in the canonical form: the Prometheus model.Duration.String components
// y w d h m s ms, largest first, zero components left out, then, for values that are not whole
// milliseconds, "us" and "ns" components in the same style (Prometheus would drop them; Go would
// write "1.5µs"). Examples: 0 -> "0s", 90m -> "1h30m", 7d -> "1w", 8d -> "1w1d", 365d -> "1y",
// 1500ns -> "1us500ns", -90s -> "-1m30s". ParseDuration(FormatDuration(n)) == n for every int64.
std::string FormatDuration(int64_t nanos);

}  // namespace silt::time
