#include "aggregator/ingest/pipeline/logfmt_stage.h"

#include <gtest/gtest.h>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

TEST(LogfmtStageTest, WithoutFieldsExtractsEveryPair) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"(level=info msg="hello \"world\"" took=5ms bare empty= )"));
  EXPECT_EQ(FieldOf(entry, "level"), "info");
  EXPECT_EQ(FieldOf(entry, "msg"), "hello \"world\"");
  EXPECT_EQ(FieldOf(entry, "took"), "5ms");
  EXPECT_EQ(FieldOf(entry, "bare"), "<absent>");
  EXPECT_EQ(FieldOf(entry, "empty"), "<absent>");
  EXPECT_EQ(entry.fields.size(), 3u);
}

TEST(LogfmtStageTest, FieldsMapKeysToFieldNames) {
  TestPipeline p("pipeline:\n  - logfmt: {fields: {user: user_id, level: level}}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "level=warn user_id=42 other=x"));
  EXPECT_EQ(FieldOf(entry, "user"), "42");
  EXPECT_EQ(FieldOf(entry, "level"), "warn");
  EXPECT_EQ(FieldOf(entry, "other"), "<absent>");
  EXPECT_EQ(FieldOf(entry, "user_id"), "<absent>");
}

TEST(LogfmtStageTest, UnterminatedQuoteKeepsFieldsUnchangedAndCounts) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"(level=info msg="never closed)"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("logfmt", "syntax_error"), 1);
}

TEST(LogfmtStageTest, EqualsWithoutKeyIsASyntaxError) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "a=1 =2"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("logfmt", "syntax_error"), 1);
}

TEST(LogfmtStageTest, BadEscapeIsASyntaxError) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"(a="\uZZZZ")"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("logfmt", "syntax_error"), 1);
}

TEST(LogfmtStageTest, FreeTextGivesNoFieldsWithoutFailure) {
  TestPipeline p("pipeline:\n  - logfmt: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "just some words"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("logfmt", "syntax_error"), 0);
}

}  // namespace
}  // namespace silt::ingest
