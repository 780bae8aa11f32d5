// TimeFormat: how the `timestamp` stage reads a time from a field, named as Promtail's timestamp
// stage names formats: RFC3339 and RFC3339Nano (any fraction, any offset), Unix, UnixMs, UnixUs
// and UnixNs (an optional sign; s/ms/us may have a fraction), Go's named layouts (ANSIC,
// UnixDate, RubyDate, RFC822, RFC822Z, RFC850, RFC1123, RFC1123Z, Kitchen, Stamp, StampMilli,
// StampMicro, StampNano), or any Go reference layout such as "2006-01-02 15:04:05.000 MST".
// Times without a zone in the text are in `location` (UTC by default; IANA names are read from
// /usr/share/zoneinfo).
// Layouts without a year (no "2006" and no "06" in them, as Promtail decides: Stamp, Kitchen,
// "Jan _2 15:04:05") take the year of a reference time, Promtail's rule: the year the reference
// has in `location`, less one for a December time when the reference is in January, plus one for
// a January time when the reference is in December (logs written just before or after New Year).
// Thread-safety: immutable after Create; Parse may run on any number of threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/result.h"
#include "shared/time/go_time.h"

namespace silt::ingest {

class TimeFormat {
 public:
  // Builds the format named `format` in zone `location` ("" is UTC). InvalidArgument for a format
  // that is neither a known name nor a Go layout (the message lists the names); NotFound or
  // InvalidArgument from the zone database for a bad location.
  static Result<TimeFormat> Create(std::string_view format, std::string_view location);

  // The time in `text` as nanoseconds since the Unix epoch, or InvalidArgument quoting the text
  // and the format. `reference_ns` (nanoseconds since the epoch; the `timestamp` stage passes the
  // entry's timestamp before the stage, the time it was read or received) gives the year when the
  // layout has none; other formats ignore it.
  Result<int64_t> Parse(std::string_view text, int64_t reference_ns) const;

  // Whether the layout has no year and Parse takes it from the reference time.
  bool yearless() const { return yearless_; }

 private:
  enum class Kind { kRfc3339, kUnix, kGoLayout };
  // Parses `text` as if it began with `year` (layout "2006 " + layout_).
  Result<time::GoTime> ParseInYear(std::string_view text, int64_t year) const;

  Kind kind_ = Kind::kRfc3339;
  int unix_unit_ = 0;  // time::UnixUnit when kind_ == kUnix
  bool yearless_ = false;
  std::string layout_;
  std::shared_ptr<const time::GoZone> zone_;
};

}  // namespace silt::ingest
