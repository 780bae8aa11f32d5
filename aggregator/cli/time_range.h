// Time flags of the CLI: --since (a duration back from --to), --from/--to (RFC 3339, unix seconds
// or nanoseconds as Loki reads them, or "now"), --time, --part, and the [start, end) range a
// query covers. Pure functions of their inputs and `now`; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::cli {

// [start_ns, end_ns): Loki's query_range includes start and excludes end for log queries.
struct TimeRange {
  int64_t start_ns = 0;
  int64_t end_ns = 0;
};

// Parses the value of `flag` (e.g. "--from"): "now", RFC 3339 ("2026-12-06T10:00:00Z",
// "...+02:00", fractions), unix seconds ("1765000000", "1765000000.5") or unix nanoseconds
// (more than 10 digits), as Loki's API reads times. Returns InvalidArgument naming the flag and
// the accepted forms.
Result<int64_t> ParseTimeFlag(std::string_view flag, std::string_view text, int64_t now_ns);

// Parses a positive duration for `flag` ("5m", "1h30m", "7d"). InvalidArgument otherwise.
Result<int64_t> ParseDurationFlag(std::string_view flag, std::string_view text);

// The range of --since/--from/--to: end = `to` or now; start = `from`, or end - `since` when
// `from` is empty. Empty strings are "not given". InvalidArgument when a value does not parse or
// start is not before end.
Result<TimeRange> ResolveTimeRange(std::string_view since, std::string_view from,
                                   std::string_view to, int64_t now_ns);

// Nanoseconds since the epoch from the system clock.
int64_t WallClockNanos();

}  // namespace silt::cli
