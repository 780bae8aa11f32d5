#include "aggregator/logql/exec/query_plan.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/logql/query.h"

namespace silt::logql::exec {
namespace {

using Groups = std::vector<std::vector<std::string>>;

Result<LogQueryPlan> Plan(const std::string& logql, LogQueryRange range = {0, 100}) {
  auto query = ParseQuery(logql);
  EXPECT_TRUE(query.ok()) << query.status();
  if (!query.ok()) return query.status();
  return PlanLogQuery(std::get<LogQuery>(query->node), range);
}

Groups Literals(const std::string& logql) {
  auto plan = Plan(logql);
  EXPECT_TRUE(plan.ok()) << plan.status();
  return plan.ok() ? plan->required_literals : Groups{};
}

TEST(QueryPlanTest, SelectorBecomesTheMatchers) {
  auto plan = Plan(R"({app="api", env!="dev"} |= "x")", {5, 10, store::Direction::kForward, 7});
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->matchers.size(), 2u);
  EXPECT_EQ(plan->matchers[0].name(), "app");
  EXPECT_EQ(plan->range.from, 5);
  EXPECT_EQ(plan->range.through, 10);
  EXPECT_EQ(plan->range.limit, 7u);
  EXPECT_EQ(plan->range.direction, store::Direction::kForward);
}

TEST(QueryPlanTest, ContainsFilterWithABoundedTokenIsRequired) {
  EXPECT_EQ(Literals(R"({a="b"} |= "disk full error")"), (Groups{{"disk full error"}}));
}

TEST(QueryPlanTest, SingleWordLiteralCannotSkip) {
  // "error" may be a piece of a longer token ("errors"), so no bloom can rule it out.
  EXPECT_EQ(Literals(R"({a="b"} |= "error")"), Groups{});
}

TEST(QueryPlanTest, OrChainIsOneGroup) {
  EXPECT_EQ(Literals(R"({a="b"} |= "a x b" or "c y d")"), (Groups{{"a x b", "c y d"}}));
}

TEST(QueryPlanTest, OrChainWithAnUncheckableAlternativeCannotSkip) {
  EXPECT_EQ(Literals(R"({a="b"} |= "a x b" or "word")"), Groups{});
}

TEST(QueryPlanTest, SeveralFiltersAreSeveralGroups) {
  EXPECT_EQ(Literals(R"({a="b"} |= "a x b" | json |= "c y d")"), (Groups{{"a x b"}, {"c y d"}}));
}

TEST(QueryPlanTest, NegativeRegexPatternAndIpFiltersCannotSkip) {
  EXPECT_EQ(Literals(R"({a="b"} != "a x b" |~ "a x b" |> "<_> x <_>" |= ip("10.0.0.0/8"))"),
            Groups{});
}

TEST(QueryPlanTest, FiltersAfterLineFormatAreNotRequired) {
  EXPECT_EQ(Literals(R"({a="b"} |= "a x b" | line_format "{{.msg}}" |= "c y d")"),
            (Groups{{"a x b"}}));
}

TEST(QueryPlanTest, FiltersAfterDecolorizeAreNotRequired) {
  EXPECT_EQ(Literals(R"({a="b"} | decolorize |= "c y d")"), Groups{});
}

TEST(QueryPlanTest, EmptyRangeIsRefused) {
  auto plan = Plan(R"({a="b"})", {10, 10});
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(plan.status().message().find("end timestamp must not be before or equal to start"),
            std::string::npos);
}

TEST(QueryPlanTest, ZeroLimitIsRefused) {
  auto plan = Plan(R"({a="b"})", {0, 10, store::Direction::kBackward, 0});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("limit must be a positive value"), std::string::npos);
}

TEST(QueryPlanTest, NegativeIntervalIsRefused) {
  auto plan = Plan(R"({a="b"})", {0, 10, store::Direction::kBackward, 10, -1});
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.status().message().find("interval must be >= 0"), std::string::npos);
  EXPECT_TRUE(Plan(R"({a="b"})", {0, 10, store::Direction::kBackward, 10, 5}).ok());
}

}  // namespace
}  // namespace silt::logql::exec
