#include "aggregator/ingest/pipeline/pipeline_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/config/document.h"

namespace silt::ingest {
namespace {

using ::testing::HasSubstr;

// The error text of parsing `yaml`, or "" when it parsed.
std::string ErrorOf(std::string_view yaml) {
  Result<PipelineConfig> config = ParsePipelineConfig(yaml, "pipeline.yaml");
  return config.ok() ? std::string() : std::string(config.status().message());
}

TEST(PipelineConfigTest, ExampleFromTheDocsParses) {
  Result<PipelineConfig> config = ParsePipelineConfig(
      "pipeline:\n"
      "  - json: {fields: {level: level, user: ctx.user, ts: time}}\n"
      "  - labels: {names: [level], max_values_per_label: 50}\n"
      "  - timestamp: {source: ts, format: RFC3339Nano}\n"
      "  - structured_metadata: {names: [user]}\n",
      "pipeline.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  ASSERT_EQ(config->stages.size(), 4u);
  const auto& json = std::get<JsonStageConfig>(config->stages[0]);
  ASSERT_EQ(json.fields.size(), 3u);
  const auto& labels = std::get<LabelsStageConfig>(config->stages[1]);
  EXPECT_EQ(labels.names, std::vector<std::string>{"level"});
  EXPECT_EQ(labels.max_values_per_label, 50u);
  EXPECT_TRUE(std::get<TimestampStageConfig>(config->stages[2]).format.has_value());
  EXPECT_EQ(std::get<StructuredMetadataStageConfig>(config->stages[3]).names,
            std::vector<std::string>{"user"});
}

TEST(PipelineConfigTest, DefaultsAreDocumented) {
  Result<PipelineConfig> config = ParsePipelineConfig(
      "pipeline:\n  - labels: {names: [a]}\n  - timestamp: {source: t, format: Unix}\n",
      "pipeline.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(std::get<LabelsStageConfig>(config->stages[0]).max_values_per_label, 100u);
  EXPECT_EQ(std::get<TimestampStageConfig>(config->stages[1]).action_on_failure,
            TimestampFailureAction::kKeep);
}

TEST(PipelineConfigTest, UnknownStageIsReportedWithASuggestion) {
  std::string error = ErrorOf("pipeline:\n  - jsn: {}\n");
  EXPECT_THAT(error, HasSubstr("pipeline.yaml:2:5: pipeline[0]: unknown key \"jsn\"; did you "
                               "mean \"json\"?"));
  EXPECT_THAT(error, HasSubstr("pipeline[0]: expected one stage: json, logfmt, regex"));
}

TEST(PipelineConfigTest, UnknownSettingIsReportedAtItsKey) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - json:\n      feilds: {a: b}\n"),
              HasSubstr("pipeline.yaml:3:7: pipeline[0].json: unknown key \"feilds\"; did you "
                        "mean \"fields\"?"));
}

TEST(PipelineConfigTest, TwoStagesInOneItemAreAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - json: {}\n    logfmt: {}\n"),
              HasSubstr("pipeline.yaml:2:5: pipeline[0]: found 2 stages in one item"));
}

TEST(PipelineConfigTest, ItemThatIsNotAMappingIsAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - json\n"),
              HasSubstr("pipeline.yaml:2:5: pipeline[0]: expected a mapping"));
}

TEST(PipelineConfigTest, BadRegexCarriesRe2sMessageAtTheExpression) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - regex:\n      expression: '(?P<a>x'\n"),
              HasSubstr("pipeline.yaml:3:19: pipeline[0].regex.expression: invalid regular "
                        "expression: missing ): (?P<a>x"));
}

TEST(PipelineConfigTest, RegexWithoutNamedGroupIsAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - regex: {expression: '(\\d+)'}\n"),
              HasSubstr("pipeline[0].regex.expression: the regular expression has no named group"));
}

TEST(PipelineConfigTest, MissingRequiredSettingIsAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - regex: {}\n"),
              HasSubstr("pipeline[0].regex: missing required key \"expression\""));
}

TEST(PipelineConfigTest, UnknownTimeFormatIsReportedAtTheFormat) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - timestamp:\n      source: ts\n      format: iso\n"),
              HasSubstr("pipeline.yaml:4:15: pipeline[0].timestamp.format: unknown time format "
                        "\"iso\""));
}

TEST(PipelineConfigTest, UnknownLocationIsReportedAtTheLocation) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - timestamp:\n      source: ts\n      format: Unix\n"
                      "      location: Nowhere/Land\n"),
              HasSubstr("pipeline.yaml:5:17: pipeline[0].timestamp.location: "));
}

TEST(PipelineConfigTest, BadActionOnFailureListsTheChoices) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - timestamp: {source: t, format: Unix, action_on_failure: "
                      "fudge}\n"),
              HasSubstr("pipeline[0].timestamp.action_on_failure"));
}

TEST(PipelineConfigTest, InvalidLabelNameIsReportedAtTheNames) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - labels:\n      names: [level, bad-name]\n"),
              HasSubstr("pipeline.yaml:3:14: pipeline[0].labels.names: invalid label name "
                        "\"bad-name\""));
}

TEST(PipelineConfigTest, ReservedLabelNameIsRefused) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - labels: {names: [__tenant]}\n"),
              HasSubstr("pipeline[0].labels.names: label name \"__tenant\" is reserved"));
}

TEST(PipelineConfigTest, ZeroMaxValuesPerLabelIsAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - labels: {names: [a], max_values_per_label: 0}\n"),
              HasSubstr("max_values_per_label must be at least 1"));
}

TEST(PipelineConfigTest, BadJsonPathNamesTheField) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - json: {fields: {user: 'ctx..user'}}\n"),
              HasSubstr("pipeline[0].json.fields: field \"user\": invalid path \"ctx..user\" at "
                        "column 5: empty name"));
}

TEST(PipelineConfigTest, InvalidMetadataNameIsAnError) {
  EXPECT_THAT(ErrorOf("pipeline:\n  - structured_metadata: {names: ['trace-id']}\n"),
              HasSubstr("pipeline[0].structured_metadata.names: invalid label name"));
}

TEST(PipelineConfigTest, EveryErrorOfTheListIsReported) {
  std::string error = ErrorOf(
      "pipeline:\n  - regex: {expression: '('}\n  - labels: {names: ['a b']}\n"
      "  - timestamp: {source: t, format: nope}\n");
  EXPECT_THAT(error, HasSubstr("pipeline[0].regex.expression"));
  EXPECT_THAT(error, HasSubstr("pipeline[1].labels.names"));
  EXPECT_THAT(error, HasSubstr("pipeline[2].timestamp.format"));
}

TEST(PipelineConfigTest, ReadsUnderAnyListenerSection) {
  Result<config::Document> doc = config::Document::LoadString(
      "syslog:\n  listen: x\n  pipeline:\n    - logfmt: {}\n    - drop: {expression: '('}\n",
      "aggregator.yaml");
  ASSERT_TRUE(doc.ok());
  config::ObjectReader r = doc->Root();
  PipelineConfig config;
  std::string listen;
  r.Object("syslog", [&](config::ObjectReader& s) {
    s.Optional("listen", &listen);
    ReadPipelineConfig(s, "pipeline", &config);
  });
  Status status = r.Finish();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("aggregator.yaml:5:26: syslog.pipeline[1].drop.expression: invalid "
                        "regular expression: missing ): ("));
}

TEST(PipelineConfigTest, AbsentPipelineIsEmpty) {
  Result<PipelineConfig> config = ParsePipelineConfig("", "pipeline.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->stages.empty());
}

}  // namespace
}  // namespace silt::ingest
