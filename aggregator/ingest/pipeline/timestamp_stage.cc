// The `timestamp` stage (timestamp_stage.h).
#include "aggregator/ingest/pipeline/timestamp_stage.h"

#include <utility>

namespace silt::ingest {

void ReadTimestampStage(config::ObjectReader& r, TimestampStageConfig* out) {
  r.Required("source", &out->source);
  std::string format;
  std::string location;
  r.Optional("location", &location);
  r.Enum("action_on_failure", &out->action_on_failure,
         {{"keep", TimestampFailureAction::kKeep}, {"skip", TimestampFailureAction::kSkip}});
  if (!r.Required("format", &format)) return;
  Result<TimeFormat> parsed = TimeFormat::Create(format, location);
  if (!parsed.ok()) {
    // A bad zone is the location's fault; anything else is the format's.
    bool zone_error = !location.empty() && TimeFormat::Create(format, "").ok();
    r.AddError(zone_error ? "location" : "format", parsed.status().message());
    return;
  }
  out->format = std::move(*parsed);
  out->format_text = std::move(format);
  out->location = std::move(location);
}

TimestampStage::TimestampStage(TimestampStageConfig config, const StageContext& context)
    : config_(std::move(config)),
      missing_field_(&context.Failure("timestamp", kReasonMissingField)),
      bad_timestamp_(&context.Failure("timestamp", kReasonBadTimestamp)) {}

StageOutcome TimestampStage::Fail(metrics::Counter* counter) const {
  counter->Inc();
  return config_.action_on_failure == TimestampFailureAction::kSkip ? StageOutcome::kStop
                                                                    : StageOutcome::kContinue;
}

StageOutcome TimestampStage::Apply(PipelineEntry& entry) const {
  std::optional<std::string_view> text = entry.fields.Get(config_.source);
  if (!text.has_value()) return Fail(missing_field_);
  // The entry's time so far (read or received) is the reference a layout without a year needs.
  Result<int64_t> timestamp = config_.format->Parse(*text, entry.timestamp);
  if (!timestamp.ok()) return Fail(bad_timestamp_);
  entry.timestamp = *timestamp;
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
