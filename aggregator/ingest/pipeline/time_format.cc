// Timestamp formats of the `timestamp` stage (time_format.h).
#include "aggregator/ingest/pipeline/time_format.h"

#include <array>
#include <utility>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

struct NamedLayout {
  std::string_view name;
  std::string_view layout;
};

// Go's time package constants, as Promtail accepts them by name.
constexpr std::array<NamedLayout, 13> kGoLayouts = {{
    {"ANSIC", "Mon Jan _2 15:04:05 2006"},
    {"UnixDate", "Mon Jan _2 15:04:05 MST 2006"},
    {"RubyDate", "Mon Jan 02 15:04:05 -0700 2006"},
    {"RFC822", "02 Jan 06 15:04 MST"},
    {"RFC822Z", "02 Jan 06 15:04 -0700"},
    {"RFC850", "Monday, 02-Jan-06 15:04:05 MST"},
    {"RFC1123", "Mon, 02 Jan 2006 15:04:05 MST"},
    {"RFC1123Z", "Mon, 02 Jan 2006 15:04:05 -0700"},
    {"Kitchen", "3:04PM"},
    {"Stamp", "Jan _2 15:04:05"},
    {"StampMilli", "Jan _2 15:04:05.000"},
    {"StampMicro", "Jan _2 15:04:05.000000"},
    {"StampNano", "Jan _2 15:04:05.000000000"},
}};

constexpr std::array<std::pair<std::string_view, time::UnixUnit>, 4> kUnixUnits = {{
    {"Unix", time::UnixUnit::kSeconds},
    {"UnixMs", time::UnixUnit::kMillis},
    {"UnixUs", time::UnixUnit::kMicros},
    {"UnixNs", time::UnixUnit::kNanos},
}};

// True when `layout` holds at least one element of Go's reference time: formatting a time with it
// then gives something other than the layout itself.
bool IsGoLayout(std::string_view layout) {
  time::GoTime t = time::GoTimeFromUnixNanos(int64_t{1'700'000'000} * 1'000'000'000);
  return time::FormatGoTime(t, layout) != layout;
}

constexpr int64_t kSecondNanos = 1'000'000'000;

Result<int64_t> ToNanos(const time::GoTime& t, std::string_view text, std::string_view layout) {
  int64_t nanos = 0;
  if (__builtin_mul_overflow(t.seconds, kSecondNanos, &nanos) ||
      __builtin_add_overflow(nanos, int64_t{t.nanos}, &nanos)) {
    return Status::InvalidArgument("time \"" + std::string(text) + "\" (layout \"" +
                                   std::string(layout) +
                                   "\") is outside the range 1677..2262 of Silt's timestamps");
  }
  return nanos;
}

}  // namespace

Result<TimeFormat> TimeFormat::Create(std::string_view format, std::string_view location) {
  TimeFormat result;
  if (!location.empty()) {
    Result<time::GoZone> zone = time::GoZone::Load(location);
    if (!zone.ok()) return zone.status();
    result.zone_ = std::make_shared<const time::GoZone>(std::move(*zone));
  } else {
    result.zone_ = std::make_shared<const time::GoZone>();
  }
  if (format == "RFC3339" || format == "RFC3339Nano") {
    result.kind_ = Kind::kRfc3339;
    return result;
  }
  for (const auto& [name, unit] : kUnixUnits) {
    if (format == name) {
      result.kind_ = Kind::kUnix;
      result.unix_unit_ = static_cast<int>(unit);
      return result;
    }
  }
  result.kind_ = Kind::kGoLayout;
  result.layout_ = std::string(format);
  for (const NamedLayout& named : kGoLayouts) {
    if (format == named.name) result.layout_ = std::string(named.layout);
  }
  if (!IsGoLayout(result.layout_)) {
    return Status::InvalidArgument(
        "unknown time format \"" + std::string(format) +
        "\"; use RFC3339, RFC3339Nano, Unix, UnixMs, UnixUs, UnixNs, a Go layout name (ANSIC, "
        "RFC1123, Stamp, ...) or a Go reference layout such as \"2006-01-02 15:04:05.000\"");
  }
  result.yearless_ = result.layout_.find("06") == std::string::npos;  // "2006" has "06" too
  return result;
}

Result<time::GoTime> TimeFormat::ParseInYear(std::string_view text, int64_t year) const {
  std::string dated = std::to_string(year);
  dated += ' ';
  dated += text;
  return time::ParseGoTime("2006 " + layout_, dated, *zone_);
}

Result<int64_t> TimeFormat::Parse(std::string_view text, int64_t reference_ns) const {
  switch (kind_) {
    case Kind::kRfc3339:
      return time::ParseRfc3339(text);
    case Kind::kUnix:
      return time::ParseUnix(text, static_cast<time::UnixUnit>(unix_unit_));
    case Kind::kGoLayout:
      break;
  }
  if (!yearless_) {
    SILT_ASSIGN_OR_RETURN(time::GoTime t, time::ParseGoTime(layout_, text, *zone_));
    return ToNanos(t, text, layout_);
  }
  // Promtail's rule for layouts without a year: the reference's year, moved across New Year when
  // the time and the reference sit on either side of it.
  const time::GoTime utc = time::GoTimeFromUnixNanos(reference_ns);
  int64_t year = 0;
  int month = 0;
  time::YearAndMonthOf(zone_->At(utc.seconds, utc.nanos), &year, &month);
  Result<time::GoTime> t = ParseInYear(text, year);
  if (t.ok()) {
    int64_t unused_year = 0;
    int text_month = 0;
    time::YearAndMonthOf(*t, &unused_year, &text_month);
    if (text_month == 12 && month == 1) t = ParseInYear(text, year - 1);
    if (text_month == 1 && month == 12) t = ParseInYear(text, year + 1);
  }
  if (!t.ok()) {
    // The text's own error, without the year put in front of it; or a date the year lacks.
    Result<time::GoTime> plain = time::ParseGoTime(layout_, text, *zone_);
    if (!plain.ok()) return plain.status();
    return Status::InvalidArgument("time \"" + std::string(text) + "\" (layout \"" + layout_ +
                                   "\", which has no year) is no date in " +
                                   std::to_string(year) + ", the year taken for it");
  }
  return ToNanos(*t, text, layout_);
}

}  // namespace silt::ingest
