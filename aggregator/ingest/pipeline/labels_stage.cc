// The `labels` stage (labels_stage.h).
#include "aggregator/ingest/pipeline/labels_stage.h"

#include <set>
#include <utility>

#include "shared/labels/utf8.h"
#include "shared/labels/validation.h"

namespace silt::ingest {

void ReadLabelsStage(config::ObjectReader& r, LabelsStageConfig* out) {
  std::vector<std::string> names;
  if (r.Required("names", &names)) {
    std::set<std::string_view> seen;
    for (const std::string& name : names) {
      Status valid = labels::ValidateLabelName(name, /*allow_reserved=*/false);
      if (!valid.ok()) {
        r.AddError("names", std::string(valid.message()) +
                                "; list only fields whose names are "
                                "valid, non-reserved label names");
      } else if (!seen.insert(name).second) {
        r.AddError("names", "label \"" + name + "\" is listed twice");
      }
    }
    if (names.empty()) r.AddError("names", "list at least one field to promote to a label");
    out->names = std::move(names);
  }
  if (r.Optional("max_values_per_label", &out->max_values_per_label) &&
      out->max_values_per_label == 0) {
    r.AddError("max_values_per_label", "max_values_per_label must be at least 1");
  }
}

LabelsStage::LabelsStage(LabelsStageConfig config, const StageContext& context)
    : invalid_value_(&context.Failure("labels", kReasonInvalidLabelValue)) {
  for (std::string& name : config.names) {
    CardinalityGuardOptions options;
    options.pipeline = context.pipeline;
    options.label = name;
    options.max_values = config.max_values_per_label;
    options.refusals = &context.refusals->WithLabels({context.pipeline, name});
    options.logger = context.logger;
    options.clock = context.clock;
    promotions_.push_back({std::move(name), std::make_unique<CardinalityGuard>(options)});
  }
}

StageOutcome LabelsStage::Apply(PipelineEntry& entry) const {
  const size_t max_value_length = labels::ValidationLimits{}.max_value_length;
  for (const Promotion& promotion : promotions_) {
    std::optional<std::string_view> value = entry.fields.Get(promotion.name);
    if (!value.has_value() || value->empty()) continue;
    if (value->size() > max_value_length || !labels::IsValidUtf8(*value)) {
      invalid_value_->Inc();
      entry.metadata.Set(promotion.name, *value);
      continue;
    }
    if (promotion.guard->Admit(*value)) {
      entry.promoted.Set(promotion.name, *value);
    } else {
      entry.metadata.Set(promotion.name, *value);
      entry.label_refused = true;
    }
  }
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
