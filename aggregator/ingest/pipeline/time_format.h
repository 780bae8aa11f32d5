// TimeFormat: how the `timestamp` stage reads a time from a field, named as Promtail's timestamp
// stage names formats: RFC3339 and RFC3339Nano (any fraction, any offset), Unix, UnixMs, UnixUs
// and UnixNs (an optional sign; s/ms/us may have a fraction), Go's named layouts (ANSIC,
// UnixDate, RubyDate, RFC822, RFC822Z, RFC850, RFC1123, RFC1123Z, Kitchen, Stamp, StampMilli,
// StampMicro, StampNano), or any Go reference layout such as "2006-01-02 15:04:05.000 MST".
// Times without a zone in the text are in `location` (UTC by default; IANA names are read from
// /usr/share/zoneinfo).
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
  // and the format.
  Result<int64_t> Parse(std::string_view text) const;

 private:
  enum class Kind { kRfc3339, kUnix, kGoLayout };
  Kind kind_ = Kind::kRfc3339;
  int unix_unit_ = 0;  // time::UnixUnit when kind_ == kUnix
  std::string layout_;
  std::shared_ptr<const time::GoZone> zone_;
};

}  // namespace silt::ingest
