// EmitPipelineConfig: every stage written back with its settings after defaults, in a form
// ParsePipelineConfig reads back to the same list.
#include "aggregator/ingest/pipeline/pipeline_config_yaml.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace silt::ingest {
namespace {

using ::testing::HasSubstr;

// `pipeline:` followed by the emitted list of `config`.
std::string Emit(const PipelineConfig& config) {
  YAML::Emitter y;
  y << YAML::BeginMap << YAML::Key << "pipeline" << YAML::Value;
  EmitPipelineConfig(config, &y);
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

constexpr std::string_view kEveryStage = R"(pipeline:
  - json: {fields: {level: level, user: ctx.user, first: 'tags[0]'}}
  - logfmt: {fields: {took: duration}}
  - regex: {expression: '^(?P<verb>[A-Z]+) ', source: msg}
  - labels: {names: [level, verb], max_values_per_label: 7}
  - timestamp: {source: ts, format: '2006-01-02 15:04:05', location: Europe/Berlin, action_on_failure: skip}
  - structured_metadata: {names: [user]}
  - output: {source: msg}
  - drop: {expression: healthz}
)";

TEST(PipelineConfigYamlTest, EveryStageRoundTrips) {
  Result<PipelineConfig> config = ParsePipelineConfig(kEveryStage, "aggregator.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string text = Emit(*config);
  EXPECT_THAT(text, HasSubstr("ctx.user"));
  EXPECT_THAT(text, HasSubstr("^(?P<verb>[A-Z]+) "));
  EXPECT_THAT(text, HasSubstr("Europe/Berlin"));
  EXPECT_THAT(text, HasSubstr("max_values_per_label: 7"));
  EXPECT_THAT(text, HasSubstr("action_on_failure: skip"));
  Result<PipelineConfig> again = ParsePipelineConfig(text, "emitted.yaml");
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << text;
  ASSERT_EQ(again->stages.size(), 8u);
  EXPECT_EQ(Emit(*again), text);
}

TEST(PipelineConfigYamlTest, DefaultsAreWrittenOut) {
  Result<PipelineConfig> config = ParsePipelineConfig(
      "pipeline:\n  - json: {}\n  - labels: {names: [a]}\n  - timestamp: {source: t, format: "
      "Unix}\n",
      "aggregator.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  const std::string text = Emit(*config);
  EXPECT_THAT(text, HasSubstr("max_values_per_label: 100"));
  EXPECT_THAT(text, HasSubstr("location: UTC"));
  EXPECT_THAT(text, HasSubstr("action_on_failure: keep"));
  Result<PipelineConfig> again = ParsePipelineConfig(text, "emitted.yaml");
  ASSERT_TRUE(again.ok()) << again.status() << "\n" << text;
  EXPECT_EQ(again->stages.size(), 3u);
}

TEST(PipelineConfigYamlTest, NoStagesIsAnEmptyList) {
  EXPECT_EQ(Emit(PipelineConfig{}), "pipeline: []\n");
}

}  // namespace
}  // namespace silt::ingest
