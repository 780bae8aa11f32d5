// The `regex` stage (regex_stage.h).
#include "aggregator/ingest/pipeline/regex_stage.h"

#include <utility>

namespace silt::ingest {

Result<std::shared_ptr<const re2::RE2>> CompileStageRegex(const std::string& expression) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_shared<const re2::RE2>(expression, options);
  if (!regex->ok()) {
    return Status::InvalidArgument("invalid regular expression: " + regex->error());
  }
  if (regex->NamedCapturingGroups().empty()) {
    return Status::InvalidArgument(
        "the regular expression has no named group; name the parts to extract, e.g. "
        "(?P<level>\\w+)");
  }
  return regex;
}

void ReadRegexStage(config::ObjectReader& r, RegexStageConfig* out) {
  std::string expression;
  r.Optional("source", &out->source);
  if (!r.Required("expression", &expression)) return;
  Result<std::shared_ptr<const re2::RE2>> regex = CompileStageRegex(expression);
  if (!regex.ok()) {
    r.AddError("expression", regex.status().message());
    return;
  }
  out->regex = std::move(*regex);
}

RegexStage::RegexStage(RegexStageConfig config, const StageContext& context)
    : config_(std::move(config)),
      no_match_(&context.Failure("regex", kReasonNoMatch)),
      missing_field_(&context.Failure("regex", kReasonMissingField)) {
  for (const auto& [name, index] : config_.regex->NamedCapturingGroups()) {
    groups_.emplace_back(index, name);
  }
}

StageOutcome RegexStage::Apply(PipelineEntry& entry) const {
  std::string_view text = entry.line();
  if (!config_.source.empty()) {
    std::optional<std::string_view> field = entry.fields.Get(config_.source);
    if (!field.has_value()) {
      missing_field_->Inc();
      return StageOutcome::kContinue;
    }
    text = *field;
  }
  std::vector<re2::StringPiece>& groups = entry.scratch.groups;
  groups.resize(static_cast<size_t>(config_.regex->NumberOfCapturingGroups()) + 1);
  if (!config_.regex->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(),
                            re2::RE2::UNANCHORED, groups.data(), static_cast<int>(groups.size()))) {
    no_match_->Inc();
    return StageOutcome::kContinue;
  }
  // The matched text may be a field that Set would replace: stage the values first.
  FieldList& pending = entry.scratch.pending;
  pending.Clear();
  for (const auto& [index, name] : groups_) {
    const re2::StringPiece& group = groups[static_cast<size_t>(index)];
    if (group.data() != nullptr) pending.Set(name, std::string_view(group.data(), group.size()));
  }
  for (const Field& field : pending) entry.fields.Set(field.name, field.value);
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
