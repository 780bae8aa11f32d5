// Go's Regexp.Expand rules in label_replace (label_replace.h).
#include "aggregator/logql/metric/label_replace.h"

#include <gtest/gtest.h>

#include "aggregator/logql/query.h"

namespace silt::logql::metric {
namespace {

std::string Expand(std::string_view templ) {
  static const std::vector<std::string_view> groups = {"web-1", "web", "1"};
  static const std::vector<std::string> names = {"", "svc", ""};
  return ExpandTemplate(templ, groups, names);
}

TEST(LabelReplaceTest, ExpandsNumbersNamesAndBraces) {
  EXPECT_EQ(Expand("$1"), "web");
  EXPECT_EQ(Expand("${2}-x"), "1-x");
  EXPECT_EQ(Expand("$svc/$2"), "web/1");
  EXPECT_EQ(Expand("${svc}x"), "webx");
  EXPECT_EQ(Expand("$0"), "web-1");
  EXPECT_EQ(Expand("plain"), "plain");
}

TEST(LabelReplaceTest, UnknownAndMalformedReferences) {
  EXPECT_EQ(Expand("$1x"), "");      // the group named "1x"
  EXPECT_EQ(Expand("$9"), "");       // past the last group
  EXPECT_EQ(Expand("$nope!"), "!");  // an unknown name
  EXPECT_EQ(Expand("$$1"), "$1");    // `$$` is a dollar
  EXPECT_EQ(Expand("a$"), "a$");     // nothing after `$`
  EXPECT_EQ(Expand("${1"), "${1");   // unclosed brace: kept as text
  EXPECT_EQ(Expand("$-"), "$-");
}

TEST(LabelReplaceTest, ScalarInputIsRefused) {
  Result<Query> query = ParseQuery(R"(label_replace(vector(1), "a", "b", "c", ".*"))");
  ASSERT_TRUE(query.ok()) << query.status();
  const LabelReplace& replace = std::get<LabelReplace>(std::get<MetricExpr>(query->node).node);
  Result<StepValues> out = ApplyLabelReplace(replace, StepValues::Scalar(1));
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.status().message().find("got scalar"), std::string::npos) << out.status();
}

}  // namespace
}  // namespace silt::logql::metric
