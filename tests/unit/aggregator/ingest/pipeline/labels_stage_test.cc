#include "aggregator/ingest/pipeline/labels_stage.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

TEST(LabelsStageTest, ListedFieldsArePromoted) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [level, app]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "level=error app=api user=7"));
  EXPECT_EQ(entry.OutputLabels(),
            labels::LabelSet::Of({{"job", "test"}, {"level", "error"}, {"app", "api"}}));
  EXPECT_EQ(FieldOf(entry, "level"), "error");  // still extracted for later stages
}

TEST(LabelsStageTest, UnlistedFieldsAreNotPromoted) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "level=info user=7"));
  EXPECT_FALSE(entry.OutputLabels().Has("user"));
}

TEST(LabelsStageTest, AbsentFieldGivesNoLabel) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "user=7"));
  EXPECT_EQ(entry.OutputLabels(), labels::LabelSet::Of({{"job", "test"}}));
  EXPECT_EQ(p.Failures("labels", "invalid_label_value"), 0);
}

TEST(LabelsStageTest, PromotedLabelReplacesStreamLabelOfSameName) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [job]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "job=batch"));
  EXPECT_EQ(entry.OutputLabels(), labels::LabelSet::Of({{"job", "batch"}}));
}

TEST(LabelsStageTest, InvalidUtf8ValueGoesToMetadataAndCounts) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [level]}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "level=bad\xff"));
  EXPECT_FALSE(entry.OutputLabels().Has("level"));
  EXPECT_EQ(MetadataOf(entry, "level"), "bad\xff");
  EXPECT_EQ(p.Failures("labels", "invalid_label_value"), 1);
}

TEST(LabelsStageTest, OverlongValueGoesToMetadata) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n  - labels: {names: [v]}\n");
  PipelineEntry entry;
  std::string long_value(3000, 'x');
  ASSERT_TRUE(p.Run(entry, "v=" + long_value));
  EXPECT_FALSE(entry.OutputLabels().Has("v"));
  EXPECT_EQ(MetadataOf(entry, "v"), long_value);
  EXPECT_EQ(p.Failures("labels", "invalid_label_value"), 1);
}

TEST(LabelsStageTest, GuardRefusesNewValuesPastTheLimitIntoMetadata) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n  - labels: {names: [user], max_values_per_label: 2}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "user=a"));
  EXPECT_EQ(entry.OutputLabels().Get("user"), "a");
  ASSERT_TRUE(p.Run(entry, "user=b"));
  EXPECT_EQ(entry.OutputLabels().Get("user"), "b");
  ASSERT_TRUE(p.Run(entry, "user=c"));
  EXPECT_FALSE(entry.OutputLabels().Has("user"));
  EXPECT_EQ(MetadataOf(entry, "user"), "c");
  EXPECT_EQ(entry.line(), "user=c");
  EXPECT_EQ(p.Refusals("user"), 1);
  // Values admitted before the limit keep being promoted.
  ASSERT_TRUE(p.Run(entry, "user=a"));
  EXPECT_EQ(entry.OutputLabels().Get("user"), "a");
  EXPECT_EQ(MetadataOf(entry, "user"), "<absent>");
}

TEST(LabelsStageTest, GuardIsPerLabel) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n  - labels: {names: [a, b], max_values_per_label: 1}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "a=1 b=1"));
  ASSERT_TRUE(p.Run(entry, "a=2 b=1"));
  EXPECT_FALSE(entry.OutputLabels().Has("a"));
  EXPECT_EQ(entry.OutputLabels().Get("b"), "1");
  EXPECT_EQ(p.Refusals("a"), 1);
  EXPECT_EQ(p.Refusals("b"), 0);
}

TEST(LabelsStageTest, GuardWarningNamesLabelLimitAndKeyAndIsRateLimited) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n  - labels: {names: [user], max_values_per_label: 1}\n",
      "syslog");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "user=a"));
  ASSERT_TRUE(p.Run(entry, "user=b"));
  ASSERT_TRUE(p.Run(entry, "user=c"));
  std::vector<std::string> lines = p.sink().Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_NE(lines[0].find("level=warn"), std::string::npos);
  EXPECT_NE(lines[0].find("pipeline=syslog"), std::string::npos);
  EXPECT_NE(lines[0].find("label=user"), std::string::npos);
  EXPECT_NE(lines[0].find("max_values_per_label=1"), std::string::npos);
  EXPECT_NE(lines[0].find("raise max_values_per_label"), std::string::npos);
  p.clock().Advance(int64_t{61} * 1'000'000'000);
  ASSERT_TRUE(p.Run(entry, "user=d"));
  lines = p.sink().Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[1].find("refused_since_last_warning=2"), std::string::npos);
  EXPECT_EQ(p.Refusals("user"), 3);
}

TEST(LabelsStageTest, GuardHoldsTheLimitUnderConcurrentThreads) {
  TestPipeline p(
      "pipeline:\n  - logfmt: {}\n  - labels: {names: [user], max_values_per_label: 50}\n");
  constexpr int kThreads = 8;
  constexpr int kValuesPerThread = 200;
  std::vector<std::thread> threads;
  std::vector<int> promoted(kThreads, 0);
  std::vector<int> refused(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      PipelineEntry entry;
      for (int i = 0; i < kValuesPerThread; ++i) {
        // Threads share half of their values, so the same value races in several threads.
        std::string line = "user=u" + std::to_string(i % 2 == 0 ? i : t * 1000 + i);
        entry.Reset(labels::LabelSet::Of({{"job", "x"}}), 1, line);
        ASSERT_TRUE(p.pipeline().Apply(entry));
        if (entry.OutputLabels().Has("user")) {
          ++promoted[t];
        } else {
          ASSERT_NE(MetadataOf(entry, "user"), "<absent>");
          ++refused[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  int total_refused = 0;
  for (int t = 0; t < kThreads; ++t) total_refused += refused[t];
  EXPECT_EQ(p.Refusals("user"), total_refused);
  EXPECT_EQ(
      total_refused +
          [&] {
            int n = 0;
            for (int v : promoted) n += v;
            return n;
          }(),
      kThreads * kValuesPerThread);
  EXPECT_GT(total_refused, 0);
  // Exactly 50 distinct values may ever be promoted: count them in a second pass.
  PipelineEntry entry;
  int admitted = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kValuesPerThread; ++i) {
      if (i % 2 == 0 && t > 0) continue;  // shared values: count once
      std::string line = "user=u" + std::to_string(i % 2 == 0 ? i : t * 1000 + i);
      entry.Reset(labels::LabelSet::Of({{"job", "x"}}), 1, line);
      ASSERT_TRUE(p.pipeline().Apply(entry));
      if (entry.OutputLabels().Has("user")) ++admitted;
    }
  }
  EXPECT_EQ(admitted, 50);
}

}  // namespace
}  // namespace silt::ingest
