// ListenerPipeline: the result counter (kept, guarded, label_fallback, dropped), the label
// validation of the pipeline's output, and no pipeline without stages.
#include "aggregator/ingest/pipeline/listener_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "shared/log/memory_sink.h"
#include "shared/time/fake_clock.h"

namespace silt::ingest {
namespace {

using ::testing::HasSubstr;

class ListenerPipelineTest : public ::testing::Test {
 protected:
  // Builds the listener pipeline "syslog" of `yaml` with `limits`.
  void Build(std::string_view yaml, labels::ValidationLimits limits = {}) {
    Result<PipelineConfig> config = ParsePipelineConfig(yaml, "aggregator.yaml");
    ASSERT_TRUE(config.ok()) << config.status();
    Result<std::unique_ptr<ListenerPipeline>> built =
        ListenerPipeline::Create(std::move(*config), {.listener = "syslog",
                                                      .label_limits = limits,
                                                      .registry = &registry_,
                                                      .logger = &logger_,
                                                      .clock = &clock_});
    ASSERT_TRUE(built.ok()) << built.status();
    ASSERT_NE(*built, nullptr);
    pipeline_ = std::move(*built);
  }

  // Runs `line` of stream {job="app"} through the pipeline; the labels it gets in *labels.
  bool Run(std::string_view line, labels::LabelSet* labels) {
    entry_.Reset(labels::LabelSet::Of({{"job", "app"}}), 1000, line);
    return pipeline_->Apply(entry_, labels);
  }

  double Entries(std::string_view result) {
    Result<metrics::CounterFamily*> family =
        registry_.RegisterCounterFamily("silt_pipeline_entries_total", "", {"listener", "result"});
    EXPECT_TRUE(family.ok()) << family.status();
    return (*family)->WithLabels({"syslog", result}).Value();
  }

  metrics::Registry registry_;
  time::FakeClock clock_;
  log::MemorySink sink_;
  log::Logger logger_{{.sink = &sink_, .clock = &clock_}};
  std::unique_ptr<ListenerPipeline> pipeline_;
  PipelineEntry entry_;
};

TEST_F(ListenerPipelineTest, NoStagesMeansNoPipeline) {
  Result<std::unique_ptr<ListenerPipeline>> built =
      ListenerPipeline::Create(PipelineConfig{}, {.listener = "syslog", .registry = &registry_});
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(*built, nullptr);
}

TEST_F(ListenerPipelineTest, MissingRegistryIsRefused) {
  Result<PipelineConfig> config = ParsePipelineConfig("pipeline: [logfmt: {}]", "p.yaml");
  ASSERT_TRUE(config.ok()) << config.status();
  Result<std::unique_ptr<ListenerPipeline>> built =
      ListenerPipeline::Create(std::move(*config), {.listener = "syslog"});
  ASSERT_FALSE(built.ok());
  EXPECT_THAT(built.status().message(), HasSubstr("metrics registry"));
}

TEST_F(ListenerPipelineTest, PromotedLabelGivesTheOutputLabelsAndCountsKept) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  labels::LabelSet labels;
  ASSERT_TRUE(Run("level=warn msg=x", &labels));
  EXPECT_EQ(labels.ToString(), R"({job="app", level="warn"})");
  ASSERT_TRUE(Run("msg=nolevel", &labels));
  EXPECT_EQ(labels.ToString(), R"({job="app"})");
  EXPECT_EQ(Entries("kept"), 2);
  EXPECT_EQ(Entries("dropped"), 0);
}

TEST_F(ListenerPipelineTest, DroppedEntryIsCountedAndNotStored) {
  Build("pipeline:\n  - drop: {expression: debug}\n");
  labels::LabelSet labels;
  EXPECT_FALSE(Run("a debug line", &labels));
  EXPECT_TRUE(Run("an info line", &labels));
  EXPECT_EQ(Entries("dropped"), 1);
  EXPECT_EQ(Entries("kept"), 1);
}

TEST_F(ListenerPipelineTest, GuardRefusalKeepsTheLineAndIsCountedGuarded) {
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [user], max_values_per_label: 1}\n");
  labels::LabelSet labels;
  ASSERT_TRUE(Run("user=ann", &labels));
  EXPECT_EQ(labels.ToString(), R"({job="app", user="ann"})");
  ASSERT_TRUE(Run("user=bob n=1", &labels));
  EXPECT_EQ(labels.ToString(), R"({job="app"})");
  EXPECT_EQ(entry_.line(), "user=bob n=1");
  EXPECT_EQ(entry_.metadata.Get("user"), "bob");
  ASSERT_TRUE(Run("user=cid", &labels));
  EXPECT_EQ(Entries("kept"), 1);
  EXPECT_EQ(Entries("guarded"), 2);
  // The guard's own warning, once per interval and label.
  EXPECT_EQ(sink_.Lines().size(), 1u) << sink_.Text();
  EXPECT_THAT(sink_.Text(), HasSubstr("label cardinality limit reached"));
  EXPECT_THAT(sink_.Text(), HasSubstr("label=user"));
}

TEST_F(ListenerPipelineTest, InvalidOutputLabelsFallBackToTheInputLabels) {
  labels::ValidationLimits limits;
  limits.max_labels = 2;
  Build("pipeline:\n  - logfmt: {}\n  - labels: {names: [a, b]}\n", limits);
  labels::LabelSet labels;
  ASSERT_TRUE(Run("a=1 b=2", &labels));
  EXPECT_EQ(labels.ToString(), R"({job="app"})");
  ASSERT_TRUE(Run("a=1 b=3", &labels));
  ASSERT_TRUE(Run("a=1", &labels));
  EXPECT_EQ(labels.ToString(), R"({a="1", job="app"})");
  EXPECT_EQ(Entries("label_fallback"), 2);
  EXPECT_EQ(Entries("kept"), 1);
  // One warning per interval, naming the listener and the labels refused.
  EXPECT_EQ(sink_.Lines().size(), 1u) << sink_.Text();
  EXPECT_THAT(sink_.Text(), HasSubstr("stored under the labels they arrived with"));
  EXPECT_THAT(sink_.Text(), HasSubstr("listener=syslog"));
  clock_.Advance(int64_t{61} * 1'000'000'000);
  ASSERT_TRUE(Run("a=1 b=4", &labels));
  EXPECT_EQ(sink_.Lines().size(), 2u) << sink_.Text();
  EXPECT_THAT(sink_.Lines().back(), HasSubstr("fallbacks_since_last_warning=2"));
}

TEST_F(ListenerPipelineTest, ThreadEntryIsReusedOnOneThread) {
  EXPECT_EQ(&ListenerPipeline::ThreadEntry(), &ListenerPipeline::ThreadEntry());
}

}  // namespace
}  // namespace silt::ingest
