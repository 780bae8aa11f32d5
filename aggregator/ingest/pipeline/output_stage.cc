// The `output` stage (output_stage.h).
#include "aggregator/ingest/pipeline/output_stage.h"

#include <utility>

namespace silt::ingest {

void ReadOutputStage(config::ObjectReader& r, OutputStageConfig* out) {
  r.Required("source", &out->source);
}

OutputStage::OutputStage(OutputStageConfig config, const StageContext& context)
    : config_(std::move(config)), missing_field_(&context.Failure("output", kReasonMissingField)) {}

StageOutcome OutputStage::Apply(PipelineEntry& entry) const {
  std::optional<std::string_view> value = entry.fields.Get(config_.source);
  if (!value.has_value()) {
    missing_field_->Inc();
    return StageOutcome::kContinue;
  }
  entry.SetLine(*value);
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
