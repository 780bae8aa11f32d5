// Timestamps as text: RFC 3339 (what Loki's API and JSON logs carry), Unix numbers in s/ms/us/ns,
// and Loki's query-parameter rule that mixes them. Inside Silt a timestamp is always int64
// nanoseconds since 1970-01-01T00:00:00Z (UTC), which covers
// 1677-09-21T00:12:43.145224192Z (INT64_MIN) .. 2262-04-11T23:47:16.854775807Z (INT64_MAX).
// Used by ingest (push API, JSON/logfmt timestamps), the HTTP API and CLI (start/end/time
// parameters), the logger (ts=) and anything that prints times. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::time {

// Parses an RFC 3339 date-time, e.g. "2026-11-22T01:52:03.123456789Z" or
// "2026-11-22T03:52:03+02:00":
//   YYYY-MM-DD ('T'|'t') hh:mm:ss [ '.' 1*DIGIT ] ( 'Z' | 'z' | ('+'|'-') hh:mm )
// Every field has exactly its width in digits; day must exist in its month (Feb 29 only in leap
// years); hour 00..23, minute and second 00..59 (leap second 60 is not representable in Unix time
// and is rejected); offset hours 00..23, minutes 00..59 ("-00:00" is UTC).
// Fraction digits past the ninth are accepted and truncated, as Go's time.Parse does (so Loki and
// Silt agree on inputs with picosecond digits). Unlike Go, lowercase 't' and 'z' are accepted, as
// RFC 3339 allows. Nothing may precede or follow (no spaces).
// Returns nanoseconds since the epoch, or InvalidArgument quoting `text` and naming the 1-based
// column and the field that is wrong, or saying the time is outside the int64 range above.
Result<int64_t> ParseRfc3339(std::string_view text);

// Formats `unix_nanos` as Go's time.RFC3339Nano does in UTC (and as Loki emits): 'Z', the
// fraction with trailing zeros removed, and no fraction at all when it is zero:
// "2026-11-22T01:52:03.1234Z", "2026-11-22T01:52:03Z". Total for every int64.
std::string FormatRfc3339Nano(int64_t unix_nanos);

// Formats `unix_nanos` in UTC with always nine fraction digits:
// "2026-11-22T01:52:03.120000000Z". Fixed width, so text order equals time order (log lines).
std::string FormatRfc3339Fixed(int64_t unix_nanos);

// The unit of a Unix timestamp number.
enum class UnixUnit { kSeconds, kMillis, kMicros, kNanos };

// Parses a Unix timestamp in `unit`: an optional sign ('+' or '-', so pre-1970 times work),
// digits, and for kSeconds/kMillis/kMicros an optional fraction ("1700000000.5", ".5", "5.").
// Fraction digits below one nanosecond are truncated toward zero. No spaces, no exponent.
// Returns nanoseconds since the epoch, or InvalidArgument quoting `text` for a malformed number
// or one that does not fit int64 nanoseconds.
Result<int64_t> ParseUnix(std::string_view text, UnixUnit unit);

// Parses a time query parameter (start, end, time, since...) exactly as Loki's
// pkg/loghttp parseTimestamp does, in this order:
//   1. If it contains '.' and is a plain decimal with optional sign: Unix seconds. The fraction is
//      rounded to the nearest millisecond, half away from zero ("1700000000.1234567" is
//      1700000000.123s), as Loki does after math.Modf. (Loki parses with ParseFloat and also takes
//      exponents such as "1.7e9"; Silt does not, and parses decimals exactly.)
//   2. If it is an integer with optional sign: when the whole text is at most 10 characters long
//      (sign included) it is Unix seconds ("1700000000", "-86400"), otherwise Unix nanoseconds
//      ("1700000000000000000"); milliseconds are not recognised, as in Loki.
//   3. Otherwise RFC 3339 (ParseRfc3339).
// The empty string is an error here; callers apply their own default (Loki: now, or now-1h).
// Returns nanoseconds since the epoch, or InvalidArgument quoting `text`.
Result<int64_t> ParseLokiTime(std::string_view text);

}  // namespace silt::time
