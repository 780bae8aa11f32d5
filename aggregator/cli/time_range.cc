#include "aggregator/cli/time_range.h"

#include <chrono>

#include "shared/time/duration.h"
#include "shared/time/timestamp.h"

namespace silt::cli {

Result<int64_t> ParseTimeFlag(std::string_view flag, std::string_view text, int64_t now_ns) {
  if (text == "now") return now_ns;
  Result<int64_t> parsed = time::ParseLokiTime(text);
  if (!parsed.ok()) {
    return Status::InvalidArgument(
        std::string(flag) + " '" + std::string(text) +
        "' is not a time: use RFC 3339 (2026-12-06T10:00:00Z), unix seconds (1765000000), "
        "unix nanoseconds (1765000000000000000) or now");
  }
  return parsed;
}

Result<int64_t> ParseDurationFlag(std::string_view flag, std::string_view text) {
  Result<int64_t> parsed = time::ParseDuration(text);
  if (!parsed.ok() || *parsed <= 0) {
    return Status::InvalidArgument(std::string(flag) + " '" + std::string(text) +
                                   "' is not a positive duration: use e.g. 30s, 5m, 1h30m, 7d");
  }
  return parsed;
}

Result<TimeRange> ResolveTimeRange(std::string_view since, std::string_view from,
                                   std::string_view to, int64_t now_ns) {
  TimeRange range;
  range.end_ns = now_ns;
  if (!to.empty()) {
    Result<int64_t> end = ParseTimeFlag("--to", to, now_ns);
    if (!end.ok()) return end.status();
    range.end_ns = *end;
  }
  if (!from.empty()) {
    Result<int64_t> start = ParseTimeFlag("--from", from, now_ns);
    if (!start.ok()) return start.status();
    range.start_ns = *start;
  } else {
    Result<int64_t> back = ParseDurationFlag("--since", since.empty() ? "1h" : since);
    if (!back.ok()) return back.status();
    range.start_ns = range.end_ns - *back;
  }
  if (range.start_ns >= range.end_ns) {
    return Status::InvalidArgument(
        "the range is empty: --from (" + time::FormatRfc3339Nano(range.start_ns) +
        ") must be before --to (" + time::FormatRfc3339Nano(range.end_ns) + ")");
  }
  return range;
}

int64_t WallClockNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace silt::cli
