#include "aggregator/ingest/pipeline/json_stage.h"

#include <gtest/gtest.h>

#include "tests/unit/aggregator/ingest/pipeline/test_pipeline.h"

namespace silt::ingest {
namespace {

TEST(JsonStageTest, WithoutFieldsExtractsEveryTopLevelMember) {
  TestPipeline p("pipeline:\n  - json: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(
      p.Run(entry, R"({"level":"info","n":42,"ok":true,"nil":null,"o":{"a":1},"l":[1, 2]})"));
  EXPECT_EQ(FieldOf(entry, "level"), "info");
  EXPECT_EQ(FieldOf(entry, "n"), "42");
  EXPECT_EQ(FieldOf(entry, "ok"), "true");
  EXPECT_EQ(FieldOf(entry, "nil"), "<absent>");
  EXPECT_EQ(FieldOf(entry, "o"), R"({"a":1})");
  EXPECT_EQ(FieldOf(entry, "l"), "[1, 2]");
  EXPECT_EQ(entry.fields.size(), 5u);
}

TEST(JsonStageTest, StringsAreUnescaped) {
  TestPipeline p("pipeline:\n  - json: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"msg":"a \"b\"\n\u00e9","k\u0031":"v"})"));
  EXPECT_EQ(FieldOf(entry, "msg"), "a \"b\"\n\xc3\xa9");
  EXPECT_EQ(FieldOf(entry, "k1"), "v");
}

TEST(JsonStageTest, PathsSelectNestedMembersAndArrayItems) {
  TestPipeline p(
      "pipeline:\n"
      "  - json: {fields: {user: ctx.user, first: 'tags[0]', ua: 'h[\"User-Agent\"]', "
      "deep: 'a.b[1].c'}}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"ctx":{"user":"bob"},"tags":["x","y"],"h":{"User-Agent":"curl"},)"
                           R"("a":{"b":[{"c":1},{"c":2}]},"other":1})"));
  EXPECT_EQ(FieldOf(entry, "user"), "bob");
  EXPECT_EQ(FieldOf(entry, "first"), "x");
  EXPECT_EQ(FieldOf(entry, "ua"), "curl");
  EXPECT_EQ(FieldOf(entry, "deep"), "2");
  EXPECT_EQ(FieldOf(entry, "other"), "<absent>");
}

TEST(JsonStageTest, MissingPathGivesNoFieldAndIsNotAFailure) {
  TestPipeline p("pipeline:\n  - json: {fields: {user: ctx.user, level: level}}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"level":"warn","ctx":"flat"})"));
  EXPECT_EQ(FieldOf(entry, "level"), "warn");
  EXPECT_EQ(FieldOf(entry, "user"), "<absent>");
  EXPECT_EQ(p.Failures("json", "not_json"), 0);
}

TEST(JsonStageTest, LineThatIsNotJsonKeepsTheEntryAndCounts) {
  TestPipeline p("pipeline:\n  - json: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "plain text line", 77));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(entry.line(), "plain text line");
  EXPECT_EQ(entry.timestamp, 77);
  EXPECT_EQ(p.Failures("json", "not_json"), 1);
}

TEST(JsonStageTest, TruncatedObjectAddsNoFields) {
  TestPipeline p("pipeline:\n  - json: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"a":"1","b":)"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("json", "not_json"), 1);
}

TEST(JsonStageTest, ArrayLineIsNotAnObject) {
  TestPipeline p("pipeline:\n  - json: {fields: {a: a}}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, "[1,2]"));
  EXPECT_TRUE(entry.fields.empty());
  EXPECT_EQ(p.Failures("json", "not_json"), 1);
}

TEST(JsonStageTest, BuffersAreReusedAcrossEntries) {
  TestPipeline p("pipeline:\n  - json: {}\n");
  PipelineEntry entry;
  ASSERT_TRUE(p.Run(entry, R"({"a":"first","b":"x"})"));
  ASSERT_TRUE(p.Run(entry, R"({"a":"second"})"));
  EXPECT_EQ(FieldOf(entry, "a"), "second");
  EXPECT_EQ(FieldOf(entry, "b"), "<absent>");
}

TEST(JsonPathToPointerTest, ConvertsDotsIndexesAndQuotedNames) {
  EXPECT_EQ(*JsonPathToPointer("a.b.c"), "/a/b/c");
  EXPECT_EQ(*JsonPathToPointer("a[0]"), "/a/0");
  EXPECT_EQ(*JsonPathToPointer("a[\"x.y/z~\"].b"), "/a/x.y~1z~0/b");
  EXPECT_EQ(*JsonPathToPointer("[\"k\"]"), "/k");
}

TEST(JsonPathToPointerTest, MalformedPathsNameTheColumn) {
  EXPECT_NE(JsonPathToPointer("").status().message().find("empty path"), std::string_view::npos);
  EXPECT_NE(JsonPathToPointer("a..b").status().message().find("column 3: empty name"),
            std::string_view::npos);
  EXPECT_NE(JsonPathToPointer("a[0").status().message().find("unclosed '['"),
            std::string_view::npos);
  EXPECT_NE(JsonPathToPointer("a[x]").status().message().find("expected an index"),
            std::string_view::npos);
  EXPECT_FALSE(JsonPathToPointer("a.").ok());
}

}  // namespace
}  // namespace silt::ingest
