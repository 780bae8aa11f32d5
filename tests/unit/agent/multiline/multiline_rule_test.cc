#include "agent/multiline/multiline_rule.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::agent {
namespace {

MultilineOptions Options(std::string pattern) {
  MultilineOptions options;
  options.start_pattern = std::move(pattern);
  return options;
}

TEST(MultilineRuleTest, StartPatternIsSearchedUnanchored) {
  Result<MultilineRule> rule = MultilineRule::Create(Options(R"(\d{4}-\d{2}-\d{2})"));
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_TRUE(rule->IsStart("2024-01-01 12:00:00 ERROR boom"));
  EXPECT_TRUE(rule->IsStart("[2024-01-01] x"));
  EXPECT_FALSE(rule->IsStart("\tat com.example.Foo(Foo.java:1)"));
}

TEST(MultilineRuleTest, AnchoredPatternMatchesOnlyAtTheStart) {
  Result<MultilineRule> rule = MultilineRule::Create(Options(R"(^\S)"));
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->IsStart("Traceback (most recent call last):"));
  EXPECT_FALSE(rule->IsStart("  File \"x.py\", line 1"));
  EXPECT_FALSE(rule->IsStart(""));
}

TEST(MultilineRuleTest, LinesWithInvalidUtf8AndNulAreMatched) {
  Result<MultilineRule> rule = MultilineRule::Create(Options("^E"));
  ASSERT_TRUE(rule.ok());
  EXPECT_TRUE(rule->IsStart(std::string("E\xff\0x", 4)));
  EXPECT_FALSE(rule->IsStart(std::string("\0E", 2)));
}

TEST(MultilineRuleTest, EmptyPatternIsRejected) {
  Result<MultilineRule> rule = MultilineRule::Create(Options(""));
  ASSERT_FALSE(rule.ok());
  EXPECT_NE(rule.status().message().find("start_pattern is empty"), std::string::npos);
}

TEST(MultilineRuleTest, InvalidRegexIsRejectedQuotingIt) {
  Result<MultilineRule> rule = MultilineRule::Create(Options("^(2024"));
  ASSERT_FALSE(rule.ok());
  EXPECT_EQ(rule.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rule.status().message().find("\"^(2024\" is not a valid RE2 regex"), std::string::npos)
      << rule.status();
}

TEST(MultilineRuleTest, ZeroMaxLinesIsRejected) {
  MultilineOptions options = Options("^x");
  options.max_lines = 0;
  EXPECT_FALSE(MultilineRule::Create(options).ok());
}

TEST(MultilineRuleTest, NonPositiveFlushTimeoutIsRejected) {
  MultilineOptions options = Options("^x");
  options.flush_timeout_ns = 0;
  EXPECT_FALSE(MultilineRule::Create(options).ok());
}

}  // namespace
}  // namespace silt::agent
