// Range functions (range_functions.h) on hand-computed windows.
#include "aggregator/logql/metric/range_functions.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace silt::logql::metric {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr double kInf = std::numeric_limits<double>::infinity();

double Eval(RangeOp op, const std::vector<RangeSample>& window, int64_t end_s, int64_t range_s,
            std::optional<double> param = std::nullopt) {
  return EvalRangeFunction(op, param, window, end_s * kS, range_s * kS);
}

TEST(RangeFunctionsTest, CountRateAndBytes) {
  const std::vector<RangeSample> w = {{1 * kS, 4}, {2 * kS, 6}};
  EXPECT_EQ(Eval(RangeOp::kCountOverTime, w, 10, 10), 2);
  EXPECT_EQ(Eval(RangeOp::kRate, {{1 * kS, 1}, {2 * kS, 1}}, 10, 10), 0.2);
  EXPECT_EQ(Eval(RangeOp::kBytesOverTime, w, 10, 10), 10);
  EXPECT_EQ(Eval(RangeOp::kBytesRate, w, 10, 10), 1);
}

TEST(RangeFunctionsTest, CounterRateExtrapolatesAndHandlesResets) {
  // Samples 10s apart fill the 30s window to within one gap: extrapolated to the edges.
  EXPECT_EQ(Eval(RangeOp::kRateCounter, {{10 * kS, 2}, {20 * kS, 4}, {30 * kS, 6}}, 35, 30), 0.2);
  // A counter is not extrapolated below zero: it starts at 0 at 20s, so the 20s before the
  // first sample add nothing: 10 / 30.
  EXPECT_EQ(Eval(RangeOp::kRateCounter, {{20 * kS, 0}, {30 * kS, 10}}, 30, 30), 10.0 / 30.0);
  // 10 -> 2 is a reset: the increase is 2 - 10 + 10 (the value before the reset) = 2 over 10s.
  EXPECT_EQ(Eval(RangeOp::kRateCounter, {{10 * kS, 10}, {20 * kS, 2}}, 20, 10), 0.2);
  // Far from the edges (more than 1.1 gaps) only half a gap is added on each side: 2 * 20/10.
  EXPECT_EQ(Eval(RangeOp::kRateCounter, {{50 * kS, 10}, {60 * kS, 12}}, 100, 100), 0.04);
  EXPECT_EQ(Eval(RangeOp::kRateCounter, {{10 * kS, 5}}, 20, 10), 0);
}

TEST(RangeFunctionsTest, MeanIgnoresFiniteValuesAfterAnInfinity) {
  EXPECT_EQ(Eval(RangeOp::kAvgOverTime, {{1, kInf}, {2, 5}}, 10, 10), kInf);
  EXPECT_TRUE(std::isnan(Eval(RangeOp::kAvgOverTime, {{1, kInf}, {2, -kInf}}, 10, 10)));
  EXPECT_EQ(Eval(RangeOp::kAvgOverTime, {{1, 1}, {2, 2}, {3, 4}}, 10, 10), 1 + 0.5 + 4.0 / 3 -
                                                                              1.5 / 3);
}

TEST(RangeFunctionsTest, QuantileEdges) {
  std::vector<double> values = {3, 1, 2};
  EXPECT_EQ(Quantile(0.5, values), 2);
  EXPECT_EQ(Quantile(0, values), 1);
  EXPECT_EQ(Quantile(1, values), 3);
  EXPECT_EQ(Quantile(0.25, values), 1.5);
  EXPECT_EQ(Quantile(2, values), kInf);
  EXPECT_EQ(Quantile(-0.1, values), -kInf);
  EXPECT_TRUE(std::isnan(Quantile(std::nan(""), values)));
  std::vector<double> empty;
  EXPECT_TRUE(std::isnan(Quantile(0.5, empty)));
}

TEST(RangeFunctionsTest, VarianceIsPopulationVariance) {
  const std::vector<RangeSample> w = {{1, 2}, {2, 4}, {3, 4}, {4, 4}, {5, 5}, {6, 5}, {7, 7},
                                      {8, 9}};
  EXPECT_EQ(Eval(RangeOp::kStdvarOverTime, w, 10, 10), 4);
  EXPECT_EQ(Eval(RangeOp::kStddevOverTime, w, 10, 10), 2);
}

}  // namespace
}  // namespace silt::logql::metric
