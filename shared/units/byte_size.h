// Byte sizes as people write them in config files and flags ("64MiB", "1.5GB", "512", "10 KB"),
// parsed to and formatted from a count of bytes. Used by shared/config for every size option
// (WAL segment size, frame limits, cache sizes). Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::units {

inline constexpr int64_t kKiB = int64_t{1} << 10;
inline constexpr int64_t kMiB = int64_t{1} << 20;
inline constexpr int64_t kGiB = int64_t{1} << 30;
inline constexpr int64_t kTiB = int64_t{1} << 40;
inline constexpr int64_t kPiB = int64_t{1} << 50;
inline constexpr int64_t kEiB = int64_t{1} << 60;

// Parses `<number>[ ]<unit>` into bytes.
//   number: digits with an optional fraction ("1.5", ".5", "2."); no sign, no exponent.
//   unit (case-insensitive, optional; none means bytes):
//     B;  K KB  M MB  G GB  T TB  P PB  E EB          powers of 1000 (as Loki and go-humanize)
//         Ki KiB  Mi MiB  Gi GiB  Ti TiB  Pi PiB  Ei EiB   powers of 1024
//   At most one space between number and unit; none before or after the whole text.
//   A fraction is rounded to the nearest whole byte, half up ("1.5B" is 2, "0.0001KB" is 0).
// Returns InvalidArgument, quoting `text`, for an empty text, a sign, a missing number, an unknown
// unit, stray spaces, or a value above INT64_MAX bytes (just under 8EiB).
Result<int64_t> ParseByteSize(std::string_view text);

// Formats `bytes` with the largest binary unit that divides it exactly, without a fraction:
// 0 -> "0B", 1536 -> "1536B" (not "1.5KiB"), 65536 -> "64KiB", 64MiB -> "64MiB", 1.5GiB ->
// "1536MiB". ParseByteSize(FormatByteSize(n)) == n for every n >= 0. A negative `bytes` is
// formatted with a leading '-' (for display only; ParseByteSize rejects it).
std::string FormatByteSize(int64_t bytes);

}  // namespace silt::units
