// Sliding windows (range_evaluator.h): window edges, offset, agreement with a brute-force
// evaluation over many steps, pipeline errors only where a window holds an erroneous sample,
// absent_over_time labels.
#include "aggregator/logql/metric/range_evaluator.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "aggregator/logql/query.h"

namespace silt::logql::metric {
namespace {

constexpr int64_t kS = 1'000'000'000;

RangeAggregation Parse(const std::string& text) {
  Result<Query> query = ParseQuery(text);
  EXPECT_TRUE(query.ok()) << query.status();
  return std::get<RangeAggregation>(std::get<MetricExpr>(query->node).node);
}

RangeSeries Series(std::vector<int64_t> seconds, std::string job = "a") {
  RangeSeries series{labels::LabelSet::Of({{"job", job}}), {}};
  for (int64_t s : seconds) series.samples.push_back({s * kS, static_cast<double>(s)});
  return series;
}

// "T:value" for every step with a sample of the first series.
std::vector<std::string> Points(const std::vector<Vector>& steps, const StepGrid& grid) {
  std::vector<std::string> out;
  for (size_t i = 0; i < steps.size(); ++i) {
    for (const Sample& s : steps[i]) {
      out.push_back(std::to_string(grid.At(i) / kS) + ":" + std::to_string(s.value));
    }
  }
  return out;
}

TEST(RangeEvaluatorTest, SampleAtWindowStartIsOutAndAtWindowEndIsIn) {
  const RangeAggregation agg = Parse(R"(count_over_time({job="a"}[10s]))");
  const std::vector<RangeSeries> series = {Series({10, 20})};
  const StepGrid grid{10 * kS, 10 * kS, 3};  // T = 10, 20, 30
  Result<std::vector<Vector>> steps = EvaluateWindows(agg, series, grid, exec::QueryDeadline());
  ASSERT_TRUE(steps.ok()) << steps.status();
  // (0,10] holds 10; (10,20] holds 20 but not 10; (20,30] holds nothing.
  EXPECT_EQ(Points(*steps, grid),
            (std::vector<std::string>{"10:1.000000", "20:1.000000"}));
}

TEST(RangeEvaluatorTest, OffsetShiftsTheWindowButNotTheStep) {
  const RangeAggregation agg = Parse(R"(last_over_time({job="a"} | unwrap x [10s] offset 5s))");
  const std::vector<RangeSeries> series = {Series({10, 15, 20})};
  const StepGrid grid{20 * kS, 5 * kS, 2};  // T = 20 -> (5,15]; T = 25 -> (10,20]
  Result<std::vector<Vector>> steps = EvaluateWindows(agg, series, grid, exec::QueryDeadline());
  ASSERT_TRUE(steps.ok()) << steps.status();
  EXPECT_EQ(Points(*steps, grid), (std::vector<std::string>{"20:15.000000", "25:20.000000"}));
}

TEST(RangeEvaluatorTest, SlidingMatchesBruteForceOnRandomData) {
  std::mt19937 random(7);
  std::vector<int64_t> times;
  for (int64_t t = 0; t < 2000; t += 1 + static_cast<int64_t>(random() % 7)) times.push_back(t);
  const std::vector<RangeSeries> series = {Series(times)};
  for (const char* text : {R"(sum_over_time({job="a"} | unwrap x [37s]))",
                           R"(count_over_time({job="a"}[5s]))",
                           R"(max_over_time({job="a"} | unwrap x [1m] offset 13s))"}) {
    SCOPED_TRACE(text);
    const RangeAggregation agg = Parse(text);
    const StepGrid grid{-20 * kS, 3 * kS, 700};
    Result<std::vector<Vector>> steps = EvaluateWindows(agg, series, grid, exec::QueryDeadline());
    ASSERT_TRUE(steps.ok()) << steps.status();
    for (size_t i = 0; i < grid.count; ++i) {
      const int64_t end = grid.At(i) - agg.range.offset_nanos;
      std::vector<RangeSample> window;
      for (const RangeSample& s : series[0].samples) {
        if (s.timestamp_ns > end - agg.range.range_nanos && s.timestamp_ns <= end) {
          window.push_back(s);
        }
      }
      ASSERT_EQ((*steps)[i].size(), window.empty() ? 0u : 1u) << "step " << i;
      if (window.empty()) continue;
      EXPECT_EQ((*steps)[i][0].value,
                EvalRangeFunction(agg.op, agg.param, window, end, agg.range.range_nanos))
          << "step " << i;
    }
  }
}

TEST(RangeEvaluatorTest, ErroneousSeriesFailsOnlyWhenAWindowHoldsIt) {
  const RangeAggregation agg = Parse(R"(count_over_time({job="a"}[5s]))");
  RangeSeries bad{labels::LabelSet::Of({{"__error__", "JSONParserErr"}, {"job", "a"}}),
                  {{100 * kS, 1}}};
  const std::vector<RangeSeries> series = {bad, Series({10})};
  Result<std::vector<Vector>> early =
      EvaluateWindows(agg, series, StepGrid{10 * kS, 10 * kS, 2}, exec::QueryDeadline());
  ASSERT_TRUE(early.ok()) << early.status();
  Result<std::vector<Vector>> late =
      EvaluateWindows(agg, series, StepGrid{100 * kS, 10 * kS, 1}, exec::QueryDeadline());
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().message().find(
                "pipeline error: 'JSONParserErr' for series: '{__error__=\"JSONParserErr\", "
                "job=\"a\"}'. Use a label filter"),
            0u)
      << late.status();
}

TEST(RangeEvaluatorTest, AbsentLabelsKeepOnlySingleEqualityMatchers) {
  auto selector = [](const std::string& text) {
    return Parse("absent_over_time(" + text + "[1m])").range.query.selector;
  };
  EXPECT_EQ(AbsentLabels(selector(R"({job="a", env="prod"})")),
            labels::LabelSet::Of({{"env", "prod"}, {"job", "a"}}));
  EXPECT_EQ(AbsentLabels(selector(R"({job="a", env=~"p.*"})")),
            labels::LabelSet::Of({{"job", "a"}}));
  EXPECT_EQ(AbsentLabels(selector(R"({job="a", job="b"})")), labels::LabelSet());
}

}  // namespace
}  // namespace silt::logql::metric
