// GoTime: a time as Go's time.Time holds it (Unix seconds, nanoseconds, and the zone it is shown
// in), with Go's reference-layout formatting and parsing ("2006-01-02 15:04:05.000 -0700 MST"), as
// Sprig's date/toDate and Loki's toDateInZone use them in LogQL templates and as ingest pipelines
// read `timestamp` layouts. Zones are UTC, fixed offsets, and IANA names read from the system tz
// database (/usr/share/zoneinfo).
// Silt has no "Local" zone: Go's Local is taken to be UTC (the zone Loki runs in by default).
// Thread-safety: stateless functions over value types.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::time {

// Unix seconds of Go's zero time, 0001-01-01 00:00:00 UTC (what a failed toDate returns).
inline constexpr int64_t kGoZeroTimeSeconds = -62135596800;

struct GoTime {
  int64_t seconds = kGoZeroTimeSeconds;  // since 1970-01-01T00:00:00Z
  int32_t nanos = 0;                     // 0..999999999
  int32_t offset = 0;                    // seconds east of UTC of the zone shown
  std::string zone = "UTC";              // abbreviation ("UTC", "CET"); "" for a bare offset

  friend bool operator==(const GoTime&, const GoTime&) = default;
};

// A zone: UTC, or the transitions of a tz database entry.
class GoZone {
 public:
  GoZone() = default;  // UTC
  // Loads `name`: "UTC", "" and "Local" are UTC; other names are read from /usr/share/zoneinfo.
  // NotFound for an unknown or unreadable zone; InvalidArgument for a name with ".." or a
  // leading '/'.
  static Result<GoZone> Load(std::string_view name);

  // The offset (seconds east of UTC) and abbreviation in force at `unix_seconds`.
  void Lookup(int64_t unix_seconds, int32_t* offset, std::string* abbreviation) const;
  // The time at `unix_seconds` shown in this zone.
  GoTime At(int64_t unix_seconds, int32_t nanos) const;

 private:
  struct Type {
    int32_t offset;
    std::string abbreviation;
  };
  std::vector<int64_t> transitions_;  // ascending
  std::vector<uint8_t> type_of_;      // type index per transition
  std::vector<Type> types_;           // empty: UTC
};

// The time of `unix_nanos` in UTC.
GoTime GoTimeFromUnixNanos(int64_t unix_nanos);

// The calendar year and month of `t` in the zone it is shown in (time.Time.Date).
void YearAndMonthOf(const GoTime& t, int64_t* year, int* month);

// Formats `t` with Go's reference layout `layout` (time.Time.Format).
std::string FormatGoTime(const GoTime& t, std::string_view layout);

// Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST".
std::string GoTimeString(const GoTime& t);

// Parses `text` with Go's reference layout (time.ParseInLocation); times without a zone in the
// text are in `zone`. InvalidArgument quoting text and layout when it does not match.
Result<GoTime> ParseGoTime(std::string_view layout, std::string_view text, const GoZone& zone);

}  // namespace silt::time
