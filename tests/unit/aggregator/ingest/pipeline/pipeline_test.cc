#include "aggregator/ingest/pipeline/pipeline.h"

#include <gtest/gtest.h>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

constexpr std::string_view kExample =
    "pipeline:\n"
    "  - json: {fields: {level: level, user: ctx.user, ts: time, msg: msg}}\n"
    "  - labels: {names: [level], max_values_per_label: 50}\n"
    "  - timestamp: {source: ts, format: RFC3339Nano}\n"
    "  - structured_metadata: {names: [user]}\n";

TEST(PipelineTest, ExamplePipelineShapesTheEntry) {
  TestPipeline p(kExample);
  PipelineEntry entry;
  std::string line =
      R"({"level":"error","ctx":{"user":"ann"},"time":"2023-11-14T22:13:20.5Z","msg":"boom"})";
  ASSERT_TRUE(p.Run(entry, line, 1));
  EXPECT_EQ(entry.OutputLabels(), labels::LabelSet::Of({{"job", "test"}, {"level", "error"}}));
  EXPECT_EQ(entry.timestamp, 1'700'000'000 * kSecond + 500'000'000);
  EXPECT_EQ(MetadataOf(entry, "user"), "ann");
  EXPECT_EQ(FieldOf(entry, "user"), "<absent>");  // moved, not copied
  EXPECT_EQ(entry.line(), line);
}

TEST(PipelineTest, FailingStagesNeverLoseTheEntry) {
  TestPipeline p(kExample);
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "not json at all", 42));
  EXPECT_EQ(entry.OutputLabels(), labels::LabelSet::Of({{"job", "test"}}));
  EXPECT_EQ(entry.timestamp, 42);
  EXPECT_EQ(entry.line(), "not json at all");
  EXPECT_TRUE(entry.metadata.empty());
  EXPECT_EQ(p.Failures("json", "not_json"), 1);
  EXPECT_EQ(p.Failures("timestamp", "missing_field"), 1);
}

TEST(PipelineTest, InputMetadataIsKeptAndCanBeExtendedOrReplaced) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - structured_metadata: {names: [trace, pod]}\n");
  PipelineEntry entry;
  std::vector<labels::LabelView> metadata = {{"pod", "old"}, {"node", "n1"}};
  entry.Reset(labels::LabelSet::Of({{"job", "x"}}), 1, "trace=abc pod=new", metadata);
  ASSERT_TRUE(p.pipeline().Apply(entry));
  EXPECT_EQ(MetadataOf(entry, "node"), "n1");
  EXPECT_EQ(MetadataOf(entry, "pod"), "new");
  EXPECT_EQ(MetadataOf(entry, "trace"), "abc");
}

TEST(PipelineTest, OutputReplacesTheLine) {
  TestPipeline p("pipeline:\n  - json: {}\n  - output: {source: msg}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"msg":"the message","level":"info"})"));
  EXPECT_EQ(entry.line(), "the message");
}

TEST(PipelineTest, OutputOfAMissingFieldKeepsTheLineAndCounts) {
  TestPipeline p("pipeline:\n  - json: {}\n  - output: {source: msg}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"level":"info"})"));
  EXPECT_EQ(entry.line(), R"({"level":"info"})");
  EXPECT_EQ(p.Failures("output", "missing_field"), 1);
}

TEST(PipelineTest, OutputTwiceReusesItsOwnLine) {
  TestPipeline p(
      "pipeline:\n  - json: {}\n  - output: {source: inner}\n  - json: {}\n"
      "  - output: {source: msg}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"inner":"{\"msg\":\"deep\"}"})"));
  EXPECT_EQ(entry.line(), "deep");
}

TEST(PipelineTest, DropByLineRegexDropsAndCounts) {
  TestPipeline p("pipeline:\n  - drop: {expression: 'GET /healthz'}\n");
  PipelineEntry entry;
  EXPECT_FALSE(p.Run(entry, "10.0.0.1 GET /healthz 200"));
  EXPECT_TRUE(p.Run(entry, "10.0.0.1 GET /api 200"));
  EXPECT_EQ(p.Dropped(), 1);
}

TEST(PipelineTest, DropByFieldKeepsEntriesWithoutTheField) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - drop: {source: level, expression: '^debug$'}\n");
  PipelineEntry entry;
  EXPECT_FALSE(p.Run(entry, "level=debug msg=x"));
  EXPECT_TRUE(p.Run(entry, "level=info msg=x"));
  EXPECT_TRUE(p.Run(entry, "msg=debug"));
  EXPECT_EQ(p.Dropped(), 1);
}

TEST(PipelineTest, EmptyPipelineChangesNothing) {
  TestPipeline p("pipeline: []\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "line", 3));
  EXPECT_EQ(entry.line(), "line");
  EXPECT_EQ(entry.timestamp, 3);
  EXPECT_EQ(p.pipeline().stage_count(), 0u);
}

TEST(PipelineTest, CreateNeedsARegistryAndAName) {
  Result<std::unique_ptr<Pipeline>> no_registry = Pipeline::Create({}, {.name = "x"});
  EXPECT_FALSE(no_registry.ok());
  metrics::Registry registry;
  EXPECT_FALSE(Pipeline::Create({}, {.name = "", .registry = &registry}).ok());
}

TEST(PipelineTest, CreateRefusesAStageWhoseConfigFailed) {
  metrics::Registry registry;
  PipelineConfig config;
  config.stages.push_back(RegexStageConfig{});  // no compiled regex
  Result<std::unique_ptr<Pipeline>> pipeline =
      Pipeline::Create(std::move(config), {.name = "x", .registry = &registry});
  ASSERT_FALSE(pipeline.ok());
  EXPECT_NE(pipeline.status().message().find("stage 1 is incomplete"), std::string_view::npos);
}

TEST(PipelineTest, TwoPipelinesShareOneRegistry) {
  metrics::Registry registry;
  for (std::string name : {"syslog", "push"}) {
    Result<PipelineConfig> config = ParsePipelineConfig("pipeline:\n  - json: {}\n", "p.yaml");
    ASSERT_TRUE(config.ok());
    EXPECT_TRUE(Pipeline::Create(std::move(*config), {.name = name, .registry = &registry}).ok());
  }
}

TEST(FieldListTest, SetReplacesRemoveAndClearKeepSlots) {
  FieldList list;
  list.Set("a", "1");
  list.Set("b", "2");
  list.Set("a", "3");
  EXPECT_EQ(list.size(), 2u);
  EXPECT_EQ(list.Get("a"), "3");
  EXPECT_TRUE(list.Remove("a"));
  EXPECT_FALSE(list.Remove("a"));
  EXPECT_EQ(list.Get("b"), "2");
  list.Clear();
  EXPECT_TRUE(list.empty());
  list.Set("c", "4");
  EXPECT_EQ(list.Get("c"), "4");
  EXPECT_EQ(list.Get("b"), std::nullopt);
}

}  // namespace
}  // namespace silt::ingest
