// Tests for aggregator/logql/pipeline/pattern_matcher.h.
#include "aggregator/logql/pipeline/pattern_matcher.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace silt::logql::pipeline {
namespace {

PatternMatcher Make(std::string_view pattern) {
  Result<std::vector<PatternPart>> parts = ParsePattern(pattern, false);
  EXPECT_TRUE(parts.ok()) << parts.status();
  return PatternMatcher(parts.ok() ? *parts : std::vector<PatternPart>{});
}

std::vector<std::pair<std::string, std::string>> Extract(std::string_view pattern,
                                                         std::string_view line) {
  std::vector<std::pair<std::string, std::string>> out;
  Make(pattern).Extract(line, [&](std::string_view n, std::string_view v) {
    out.emplace_back(std::string(n), std::string(v));
  });
  return out;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(PatternMatcherTest, CapturesStopAtTheNextLiteral) {
  EXPECT_EQ(Extract("<a> <b>", "x y z"), (Pairs{{"a", "x"}, {"b", "y z"}}));
}

TEST(PatternMatcherTest, LeadingLiteralAnchors) {
  EXPECT_EQ(Extract("GET <path>", "POST /x"), Pairs{});
  EXPECT_EQ(Extract("GET <path>", "GET /x"), (Pairs{{"path", "/x"}}));
}

TEST(PatternMatcherTest, MissingLiteralGivesTheRestAndStops) {
  EXPECT_EQ(Extract("<a>:<b>", "nocolon"), (Pairs{{"a", "nocolon"}}));
}

TEST(PatternMatcherTest, UnnamedCapturesAreSkipped) {
  EXPECT_EQ(Extract("<_> id=<id> <_>", "t id=7 rest"), (Pairs{{"id", "7"}}));
}

TEST(PatternMatcherTest, EmptyLineExtractsNothing) {
  EXPECT_EQ(Extract("<a>", ""), Pairs{});
}

TEST(PatternMatcherTest, TestRequiresEveryLiteral) {
  PatternMatcher m = Make("<_> error <_>");
  EXPECT_TRUE(m.Test("a error b"));
  EXPECT_FALSE(m.Test("error b"));
  EXPECT_FALSE(m.Test("a error "));
  EXPECT_FALSE(m.Test(""));
}

TEST(PatternMatcherTest, TestTrailingLiteralEndsTheLine) {
  PatternMatcher m = Make("<_>ms");
  EXPECT_TRUE(m.Test("15ms"));
  EXPECT_FALSE(m.Test("15ms later"));
}

}  // namespace
}  // namespace silt::logql::pipeline
