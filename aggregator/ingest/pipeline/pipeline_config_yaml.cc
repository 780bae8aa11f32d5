// The `pipeline:` list as YAML (pipeline_config_yaml.h).
#include "aggregator/ingest/pipeline/pipeline_config_yaml.h"

#include <string>
#include <type_traits>

namespace silt::ingest {
namespace {

void EmitRegex(const std::shared_ptr<const re2::RE2>& regex, const std::string& source,
               YAML::Emitter& y) {
  y << YAML::Key << "expression" << YAML::Value << (regex != nullptr ? regex->pattern() : "");
  if (!source.empty()) y << YAML::Key << "source" << YAML::Value << source;
}

void EmitSettings(const JsonStageConfig& c, YAML::Emitter& y) {
  if (c.fields.empty()) return;
  y << YAML::Key << "fields" << YAML::Value << YAML::BeginMap;
  for (const JsonStageConfig::Field& field : c.fields) {
    y << YAML::Key << field.name << YAML::Value << field.path;
  }
  y << YAML::EndMap;
}

void EmitSettings(const LogfmtStageConfig& c, YAML::Emitter& y) {
  if (!c.fields.empty()) y << YAML::Key << "fields" << YAML::Value << c.fields;
}

void EmitSettings(const RegexStageConfig& c, YAML::Emitter& y) { EmitRegex(c.regex, c.source, y); }

void EmitSettings(const LabelsStageConfig& c, YAML::Emitter& y) {
  y << YAML::Key << "names" << YAML::Value << YAML::Flow << c.names;
  y << YAML::Key << "max_values_per_label" << YAML::Value << c.max_values_per_label;
}

void EmitSettings(const TimestampStageConfig& c, YAML::Emitter& y) {
  y << YAML::Key << "source" << YAML::Value << c.source;
  y << YAML::Key << "format" << YAML::Value << c.format_text;
  y << YAML::Key << "location" << YAML::Value << (c.location.empty() ? "UTC" : c.location);
  y << YAML::Key << "action_on_failure" << YAML::Value
    << (c.action_on_failure == TimestampFailureAction::kSkip ? "skip" : "keep");
}

void EmitSettings(const StructuredMetadataStageConfig& c, YAML::Emitter& y) {
  y << YAML::Key << "names" << YAML::Value << YAML::Flow << c.names;
}

void EmitSettings(const OutputStageConfig& c, YAML::Emitter& y) {
  y << YAML::Key << "source" << YAML::Value << c.source;
}

void EmitSettings(const DropStageConfig& c, YAML::Emitter& y) { EmitRegex(c.regex, c.source, y); }

// The stage kind, the key of its list item.
const char* KindOf(const StageConfig& stage) {
  static constexpr const char* kKinds[] = {
      "json", "logfmt", "regex", "labels", "timestamp", "structured_metadata", "output", "drop"};
  static_assert(std::variant_size_v<StageConfig> == std::size(kKinds));
  return kKinds[stage.index()];
}

}  // namespace

void EmitPipelineConfig(const PipelineConfig& config, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  if (config.stages.empty()) {
    y << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
    return;
  }
  y << YAML::BeginSeq;
  for (const StageConfig& stage : config.stages) {
    y << YAML::BeginMap << YAML::Key << KindOf(stage) << YAML::Value << YAML::BeginMap;
    std::visit([&](const auto& c) { EmitSettings(c, y); }, stage);
    y << YAML::EndMap << YAML::EndMap;
  }
  y << YAML::EndSeq;
}

}  // namespace silt::ingest
