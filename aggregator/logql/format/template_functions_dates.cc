// Date and duration functions: Sprig's date, toDate, now, unixEpoch and Loki's toDateInZone,
// unixEpochMillis, unixEpochNanos, unixToTime, duration / duration_seconds. Go's Local zone is
// UTC here (go_time.h).
#include <chrono>

#include "aggregator/logql/format/template_functions.h"
#include "shared/time/duration.h"

namespace silt::logql::format {
namespace {

using Kind = TemplateValue::Kind;

time::GoTime Now() {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return time::GoTimeFromUnixNanos(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

time::GoTime InUtc(const time::GoTime& t) { return time::GoTime{t.seconds, t.nanos, 0, "UTC"}; }

// Sprig's date(layout, when): a time, or Unix seconds as an int; anything else means now.
Result<TemplateValue> Date(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(std::string layout, ArgString(call, 0));
  const TemplateValue& when = call.args[1];
  time::GoTime t = when.kind() == Kind::kTime  ? InUtc(when.time_value())
                   : when.kind() == Kind::kInt ? time::GoTime{when.int_value(), 0, 0, "UTC"}
                                               : Now();
  return TemplateValue::String(time::FormatGoTime(t, layout));
}

// Sprig's toDate and Loki's toDateInZone: a parse failure gives Go's zero time, not an error.
Result<TemplateValue> ToDate(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 2, 2));
  SILT_ASSIGN_OR_RETURN(std::string layout, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string text, ArgString(call, 1));
  Result<time::GoTime> t = time::ParseGoTime(layout, text, time::GoZone());
  return TemplateValue::Time(t.ok() ? *t : time::GoTime());
}

Result<TemplateValue> ToDateInZone(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 3, 3));
  SILT_ASSIGN_OR_RETURN(std::string layout, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(std::string zone_name, ArgString(call, 1));
  SILT_ASSIGN_OR_RETURN(std::string text, ArgString(call, 2));
  time::GoZone zone;  // an unknown zone means UTC, as in Loki
  if (call.zone != nullptr) {
    zone = *call.zone;
  } else if (Result<time::GoZone> loaded = time::GoZone::Load(zone_name); loaded.ok()) {
    zone = std::move(loaded).value();
  }
  Result<time::GoTime> t = time::ParseGoTime(layout, text, zone);
  return TemplateValue::Time(t.ok() ? *t : time::GoTime());
}

Result<TemplateValue> NowFn(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 0, 0));
  return TemplateValue::Time(Now());
}

template <int64_t kPerSecond>
Result<TemplateValue> UnixEpoch(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(time::GoTime t, ArgTime(call, 0));
  // Go's UnixMilli/UnixNano wrap outside their range; so does this.
  uint64_t v = static_cast<uint64_t>(t.seconds) * static_cast<uint64_t>(kPerSecond) +
               static_cast<uint64_t>(t.nanos / (1'000'000'000 / kPerSecond));
  return TemplateValue::String(std::to_string(static_cast<int64_t>(v)));
}

// Loki's unixToTime: the epoch's digit count gives its unit: 5 days, 10 seconds,
// 13 milliseconds, 16 microseconds, 19 nanoseconds.
Result<TemplateValue> UnixToTime(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string epoch, ArgString(call, 0));
  auto bad = [&] {
    return Status::InvalidArgument("unable to parse time '" + epoch +
                                   "': want 5 (days), 10 (s), 13 (ms), 16 (us) or 19 (ns) digits");
  };
  if (epoch.empty() || epoch.size() > 19) return bad();
  int64_t n = 0;
  for (char c : epoch) {
    if (c < '0' || c > '9') return bad();
    n = n * 10 + (c - '0');
  }
  switch (epoch.size()) {
    case 5:
      return TemplateValue::Time(time::GoTime{n * 86400, 0, 0, "UTC"});
    case 10:
      return TemplateValue::Time(time::GoTime{n, 0, 0, "UTC"});
    case 13:
      return TemplateValue::Time(time::GoTimeFromUnixNanos(n * 1'000'000));
    case 16:
      return TemplateValue::Time(time::GoTimeFromUnixNanos(n * 1'000));
    case 19:
      return TemplateValue::Time(time::GoTimeFromUnixNanos(n));
    default:
      return bad();
  }
}

// Loki's duration / duration_seconds: a duration text ("1h30m", "250ms") in seconds.
Result<TemplateValue> Duration(const FunctionCall& call) {
  SILT_RETURN_IF_ERROR(CheckArgs(call, 1, 1));
  SILT_ASSIGN_OR_RETURN(std::string text, ArgString(call, 0));
  SILT_ASSIGN_OR_RETURN(int64_t nanos, time::ParseDuration(text));
  return TemplateValue::Float(static_cast<double>(nanos / time::kSecond) +
                              static_cast<double>(nanos % time::kSecond) / 1e9);
}

}  // namespace

void AddDateFunctions(FunctionTable* table) {
  table->insert({
      {"date", Date},
      {"toDate", ToDate},
      {"toDateInZone", ToDateInZone},
      {"now", NowFn},
      {"unixEpoch", UnixEpoch<1>},
      {"unixEpochMillis", UnixEpoch<1000>},
      {"unixEpochNanos", UnixEpoch<1'000'000'000>},
      {"unixToTime", UnixToTime},
      {"duration", Duration},
      {"duration_seconds", Duration},
  });
}

}  // namespace silt::logql::format
