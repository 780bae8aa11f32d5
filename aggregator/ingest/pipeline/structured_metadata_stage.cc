// The `structured_metadata` stage (structured_metadata_stage.h).
#include "aggregator/ingest/pipeline/structured_metadata_stage.h"

#include <utility>

#include "shared/labels/validation.h"

namespace silt::ingest {

void ReadStructuredMetadataStage(config::ObjectReader& r, StructuredMetadataStageConfig* out) {
  std::vector<std::string> names;
  if (!r.Required("names", &names)) return;
  for (const std::string& name : names) {
    Status valid = labels::ValidateLabelName(name, /*allow_reserved=*/false);
    if (!valid.ok()) {
      r.AddError("names", std::string(valid.message()) +
                              "; structured metadata names follow the label name rules");
    }
  }
  if (names.empty()) r.AddError("names", "list at least one field to move to structured metadata");
  out->names = std::move(names);
}

StructuredMetadataStage::StructuredMetadataStage(StructuredMetadataStageConfig config)
    : config_(std::move(config)) {}

StageOutcome StructuredMetadataStage::Apply(PipelineEntry& entry) const {
  for (const std::string& name : config_.names) {
    std::optional<std::string_view> value = entry.fields.Get(name);
    if (!value.has_value()) continue;
    entry.metadata.Set(name, *value);
    entry.fields.Remove(name);
  }
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
