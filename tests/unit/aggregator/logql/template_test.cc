// Tests for the Go-template parser of line_format / label_format (template.h).
#include "aggregator/logql/template.h"

#include <gtest/gtest.h>

namespace silt::logql {
namespace {

TEST(TemplateTest, TextAndActionsBecomeNodes) {
  Result<Template> t = Template::Parse("a {{ .x | upper }} b");
  ASSERT_TRUE(t.ok()) << t.status();
  ASSERT_EQ(t->nodes().size(), 3u);
  const TemplateNode& action = t->nodes()[1];
  ASSERT_EQ(action.kind, TemplateNode::Kind::kAction);
  ASSERT_EQ(action.pipeline->commands.size(), 2u);
  EXPECT_EQ(action.pipeline->commands[0].operands[0].fields, (std::vector<std::string>{"x"}));
  EXPECT_EQ(action.pipeline->commands[1].operands[0].text, "upper");
}

TEST(TemplateTest, TrimMarkersEatSpaces) {
  Result<Template> t = Template::Parse("a  {{- .x -}}  b");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->nodes()[0].text, "a");
  EXPECT_EQ(t->nodes()[2].text, "b");
}

TEST(TemplateTest, IfElseIfElseNests) {
  Result<Template> t = Template::Parse("{{ if .a }}1{{ else if .b }}2{{ else }}3{{ end }}");
  ASSERT_TRUE(t.ok()) << t.status();
  const TemplateNode& outer = t->nodes()[0];
  ASSERT_EQ(outer.kind, TemplateNode::Kind::kIf);
  ASSERT_EQ(outer.else_nodes.size(), 1u);
  EXPECT_EQ(outer.else_nodes[0].kind, TemplateNode::Kind::kIf);
  EXPECT_EQ(outer.else_nodes[0].else_nodes[0].text, "3");
}

TEST(TemplateTest, ArgumentsAreTyped) {
  Result<Template> t = Template::Parse("{{ printf \"%d\" -3 true nil (len .a).b }}");
  ASSERT_TRUE(t.ok()) << t.status();
  const auto& ops = t->nodes()[0].pipeline->commands[0].operands;
  ASSERT_EQ(ops.size(), 6u);
  EXPECT_EQ(ops[1].kind, TemplateOperand::Kind::kString);
  EXPECT_EQ(ops[2].number, -3);
  EXPECT_EQ(ops[3].kind, TemplateOperand::Kind::kBool);
  EXPECT_EQ(ops[4].kind, TemplateOperand::Kind::kNil);
  EXPECT_EQ(ops[5].kind, TemplateOperand::Kind::kPipeline);
  EXPECT_EQ(ops[5].fields, (std::vector<std::string>{"b"}));
}

TEST(TemplateTest, UnknownFunctionReportsLineAndColumn) {
  Result<Template> t = Template::Parse("x\n  {{ nope .a }}");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "line 2, col 6: function \"nope\" not defined");
}

TEST(TemplateTest, CommentsAreSkipped) {
  Result<Template> t = Template::Parse("a{{/* c */}}b");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->nodes().size(), 2u);
}

TEST(TemplateTest, DeepIfNestingIsRejected) {
  std::string deep;
  for (int i = 0; i < 1000; ++i) deep += "{{ if .a }}";
  EXPECT_FALSE(Template::Parse(deep).ok());
}

}  // namespace
}  // namespace silt::logql
