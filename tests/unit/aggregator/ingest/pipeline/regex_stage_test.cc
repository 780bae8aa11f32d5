#include "aggregator/ingest/pipeline/regex_stage.h"

#include <gtest/gtest.h>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

TEST(RegexStageTest, NamedGroupsBecomeFields) {
  TestPipeline p(
      "pipeline:\n"
      "  - regex: {expression: '^(?P<ip>\\S+) (?P<method>[A-Z]+) (?P<path>\\S+)(?: "
      "(?P<opt>x))?'}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "10.0.0.1 GET /index.html 200"));
  EXPECT_EQ(FieldOf(entry, "ip"), "10.0.0.1");
  EXPECT_EQ(FieldOf(entry, "method"), "GET");
  EXPECT_EQ(FieldOf(entry, "path"), "/index.html");
  EXPECT_EQ(FieldOf(entry, "opt"), "<absent>");  // optional group that did not take part
}

TEST(RegexStageTest, NoMatchKeepsTheEntryAndCounts) {
  TestPipeline p("pipeline:\n  - regex: {expression: '^(?P<n>\\d+)$'}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "abc"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(entry.line(), "abc");
  EXPECT_EQ(p.Failures("regex", "no_match"), 1);
}

TEST(RegexStageTest, SourceMatchesAField) {
  TestPipeline p(
      "pipeline:\n"
      "  - json: {}\n"
      "  - regex: {source: msg, expression: 'user=(?P<user>\\w+)'}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"msg":"login user=ann ok"})"));
  EXPECT_EQ(FieldOf(entry, "user"), "ann");
}

TEST(RegexStageTest, GroupMayReplaceTheFieldItMatched) {
  TestPipeline p(
      "pipeline:\n"
      "  - json: {}\n"
      "  - regex: {source: msg, expression: '^(?P<msg>\\w+)'}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"msg":"hello world"})"));
  EXPECT_EQ(FieldOf(entry, "msg"), "hello");
}

TEST(RegexStageTest, MissingSourceFieldIsCounted) {
  TestPipeline p("pipeline:\n  - regex: {source: nope, expression: '(?P<a>.)'}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "line"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("regex", "missing_field"), 1);
}

}  // namespace
}  // namespace silt::ingest
