// Structural tests of the LogQL parser (query.h): the AST it builds for each construct (typed
// values, precedence, associativity), and the bounds that keep hostile input from exhausting
// the stack. Canonical text and error wording are covered by parser_table_test.cc.
#include "aggregator/logql/query.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::logql {
namespace {

Query MustParse(const std::string& text) {
  Result<Query> query = ParseQuery(text);
  EXPECT_TRUE(query.ok()) << text << ": " << query.status();
  return query.ok() ? *query : Query{};
}

const MetricExpr& Metric(const Query& q) { return std::get<MetricExpr>(q.node); }
const BinaryExpr& Binary(const MetricExpr& e) { return std::get<BinaryExpr>(e.node); }
double Number(const MetricExpr& e) { return std::get<NumberLiteral>(e.node).value; }

TEST(ParserTest, MultiplicationBindsTighterThanAddition) {
  Query q = MustParse("1 + 2 * 3");
  const BinaryExpr& add = Binary(Metric(q));
  EXPECT_EQ(add.op, BinaryOp::kAdd);
  EXPECT_EQ(Number(*add.lhs), 1);
  EXPECT_EQ(Binary(*add.rhs).op, BinaryOp::kMul);
}

TEST(ParserTest, SubtractionIsLeftAssociative) {
  Query q = MustParse("1 - 2 - 3");
  const BinaryExpr& outer = Binary(Metric(q));
  EXPECT_EQ(Binary(*outer.lhs).op, BinaryOp::kSub);
  EXPECT_EQ(Number(*outer.rhs), 3);
}

TEST(ParserTest, PowerIsRightAssociative) {
  Query q = MustParse("2 ^ 3 ^ 2");
  const BinaryExpr& outer = Binary(Metric(q));
  EXPECT_EQ(Number(*outer.lhs), 2);
  EXPECT_EQ(Binary(*outer.rhs).op, BinaryOp::kPow);
}

TEST(ParserTest, SetOperatorsBindLooserThanComparisons) {
  Query q = MustParse("rate({a=\"b\"}[1m]) > 1 or rate({a=\"c\"}[1m]) unless "
                      "rate({a=\"d\"}[1m])");
  const BinaryExpr& outer = Binary(Metric(q));
  EXPECT_EQ(outer.op, BinaryOp::kOr);
  EXPECT_EQ(Binary(*outer.lhs).op, BinaryOp::kGt);
  EXPECT_EQ(Binary(*outer.rhs).op, BinaryOp::kUnless);
}

TEST(ParserTest, BoolOnArithmeticIsRejected) {
  EXPECT_FALSE(ParseQuery("rate({a=\"b\"}[1m]) / bool rate({a=\"c\"}[1m])").ok());
}

TEST(ParserTest, GroupRightKeepsLabels) {
  Query q = MustParse(
      "rate({a=\"b\"}[1m]) > bool ignoring (x, y) group_right (z) rate({a=\"c\"}[1m])");
  const BinaryExpr& b = Binary(Metric(q));
  ASSERT_TRUE(b.matching.has_value());
  EXPECT_TRUE(b.return_bool);
  EXPECT_FALSE(b.matching->on);
  EXPECT_EQ(b.matching->labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(b.matching->card, VectorMatching::Card::kOneToMany);
  EXPECT_EQ(b.matching->include, (std::vector<std::string>{"z"}));
}

TEST(ParserTest, RangeAggregationHoldsTypedRangeOffsetAndUnwrap) {
  Query q = MustParse(
      "quantile_over_time(0.9, {app=\"api\"} | json | unwrap duration(took) | took > 1s "
      "[5m] offset 1h) by (route)");
  const auto& agg = std::get<RangeAggregation>(Metric(q).node);
  EXPECT_EQ(agg.op, RangeOp::kQuantileOverTime);
  EXPECT_EQ(agg.param, 0.9);
  EXPECT_EQ(agg.range.range_nanos, int64_t{300} * 1'000'000'000);
  EXPECT_EQ(agg.range.offset_nanos, int64_t{3600} * 1'000'000'000);
  ASSERT_TRUE(agg.range.unwrap.has_value());
  EXPECT_EQ(agg.range.unwrap->conversion, Unwrap::Conversion::kDuration);
  EXPECT_EQ(agg.range.unwrap->label, "took");
  ASSERT_EQ(agg.range.unwrap->post_filters.size(), 1u);
  const auto& filter = std::get<DurationLabelFilter>(agg.range.unwrap->post_filters[0].node);
  EXPECT_EQ(filter.op, CompareOp::kGt);
  EXPECT_EQ(filter.nanos, 1'000'000'000);
  ASSERT_TRUE(agg.grouping.has_value());
  EXPECT_EQ(agg.grouping->labels, (std::vector<std::string>{"route"}));
}

TEST(ParserTest, PipelineStagesAreTyped) {
  Query q = MustParse(
      "{app=\"api\"} |= \"a\" or \"b\" | json x=\"s[0].h\" | logfmt --strict | "
      "regexp \"(?P<m>\\\\w+) (?P<p>\\\\S+)\" | size >= 10KB | drop level=\"debug\"");
  const auto& log = std::get<LogQuery>(q.node);
  ASSERT_EQ(log.pipeline.size(), 6u);
  const auto& line = std::get<LineFilter>(log.pipeline[0]);
  EXPECT_EQ(line.terms.size(), 2u);
  const auto& json = std::get<JsonParser>(log.pipeline[1]);
  ASSERT_EQ(json.params.size(), 1u);
  ASSERT_EQ(json.params[0].json_path.size(), 3u);
  EXPECT_TRUE(json.params[0].json_path[1].is_index);
  EXPECT_TRUE(std::get<LogfmtParser>(log.pipeline[2]).strict);
  EXPECT_EQ(std::get<RegexpParser>(log.pipeline[3]).names, (std::vector<std::string>{"m", "p"}));
  const auto& size_stage = std::get<LabelFilterStage>(log.pipeline[4]);
  const auto& size = std::get<BytesLabelFilter>(size_stage.expr.node);
  EXPECT_EQ(size.bytes, 10'000);
  const auto& drop = std::get<DropStage>(log.pipeline[5]);
  ASSERT_TRUE(drop.labels[0].matcher.has_value());
  EXPECT_TRUE(drop.labels[0].matcher->Matches("debug"));
}

TEST(ParserTest, SelectorMatchersAreAnchoredRegexes) {
  Query q = MustParse("{app=~\"api|web\"}");
  const auto& log = std::get<LogQuery>(q.node);
  EXPECT_TRUE(log.selector[0].Matches("api"));
  EXPECT_FALSE(log.selector[0].Matches("api-gateway"));
}

TEST(ParserTest, CommaBindsTheRestOfTheLabelFilter) {
  Query q = MustParse("{a=\"b\"} | x=\"1\", y=\"2\" or z=\"3\"");
  const auto& log = std::get<LogQuery>(q.node);
  const auto& stage = std::get<LabelFilterStage>(log.pipeline[0]);
  const auto& top = std::get<BinaryLabelFilter>(stage.expr.node);
  EXPECT_TRUE(top.is_and);
  EXPECT_FALSE(std::get<BinaryLabelFilter>(top.right->node).is_and);
}

TEST(ParserTest, DeepParenthesesAreRejectedNotOverflowed) {
  std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  Result<Query> q = ParseQuery(deep);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("nested too deeply"), std::string::npos) << q.status();
}

TEST(ParserTest, DeepLabelFilterParenthesesAreRejected) {
  std::string deep = "{a=\"b\"} | " + std::string(100000, '(') + "x=\"1\"";
  Result<Query> q = ParseQuery(deep);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("nested too deeply"), std::string::npos) << q.status();
}

TEST(ParserTest, NestingAtTheLimitIsAccepted) {
  std::string ok = std::string(200, '(') + "1" + std::string(200, ')');
  EXPECT_TRUE(ParseQuery(ok).ok());
}

TEST(ParserTest, TooManyBinaryOperationsAreRejected) {
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  Result<Query> q = ParseQuery(chain);
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("too many binary operations"), std::string::npos);
}

TEST(ParserTest, LongCommaListRoundTripsWithoutNesting) {
  std::string query = "{a=\"b\"} | x0=\"1\"";
  for (int i = 1; i < 500; ++i) query += ", x" + std::to_string(i) + "=\"1\"";
  Query q = MustParse(query);
  Result<Query> again = ParseQuery(q.String());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(*again == q);
}

}  // namespace
}  // namespace silt::logql
