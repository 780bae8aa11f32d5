// The `drop` stage (drop_stage.h).
#include "aggregator/ingest/pipeline/drop_stage.h"

#include <utility>

namespace silt::ingest {

void ReadDropStage(config::ObjectReader& r, DropStageConfig* out) {
  r.Optional("source", &out->source);
  std::string expression;
  if (!r.Required("expression", &expression)) return;
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const re2::RE2>(expression, options);
  if (!regex->ok()) {
    r.AddError("expression", "invalid regular expression: " + regex->error());
    return;
  }
  out->regex = std::move(regex);
}

DropStage::DropStage(DropStageConfig config) : config_(std::move(config)) {}

StageOutcome DropStage::Apply(PipelineEntry& entry) const {
  std::string_view text = entry.line();
  if (!config_.source.empty()) {
    std::optional<std::string_view> field = entry.fields.Get(config_.source);
    if (!field.has_value()) return StageOutcome::kContinue;
    text = *field;
  }
  bool match = re2::RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *config_.regex);
  return match ? StageOutcome::kDrop : StageOutcome::kContinue;
}

}  // namespace silt::ingest
