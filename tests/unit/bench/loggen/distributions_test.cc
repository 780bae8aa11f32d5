#include "tests/bench/loggen/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace silt::loggen {
namespace {

constexpr vocab::Weighted kTable[] = {{"a", 1}, {"b", 0}, {"c", 3}};

TEST(WeightedPickerTest, FollowsWeightsAndNeverPicksZeroWeight) {
  WeightedPicker picker(kTable);
  Rng rng(1);
  int counts[3] = {};
  for (int i = 0; i < 40'000; ++i) ++counts[picker.PickIndex(rng)];
  EXPECT_EQ(counts[1], 0);
  EXPECT_GT(counts[0], 9'000);  // expected 10,000
  EXPECT_LT(counts[0], 11'000);
  EXPECT_GT(counts[2], 29'000);  // expected 30,000
}

TEST(WeightedPickerTest, LargeTotalsUseBinarySearchWithSameShape) {
  constexpr vocab::Weighted kBig[] = {{"x", 100'000}, {"y", 300'000}};
  WeightedPicker picker(kBig);
  Rng rng(2);
  int x = 0;
  for (int i = 0; i < 40'000; ++i) x += picker.Pick(rng) == "x" ? 1 : 0;
  EXPECT_GT(x, 9'000);
  EXPECT_LT(x, 11'000);
}

TEST(DistributionsTest, LatencyIsLogNormalish) {
  Rng rng(3);
  std::vector<int64_t> values;
  for (int i = 0; i < 20'000; ++i) values.push_back(LatencyMicros(rng));
  std::sort(values.begin(), values.end());
  const int64_t median = values[values.size() / 2];
  EXPECT_GT(median, 17'000);
  EXPECT_LT(median, 23'000);
  EXPECT_GE(values.front(), 1'125);
  EXPECT_LE(values.back(), 10'000'000);
  // A long tail: the 99.9th percentile is far above the median.
  EXPECT_GT(values[values.size() * 999 / 1000], 10 * median);
}

TEST(DistributionsTest, ResponseBytesStayInQuantileRange) {
  Rng rng(4);
  for (int i = 0; i < 10'000; ++i) {
    const int64_t bytes = ResponseBytes(rng);
    ASSERT_GE(bytes, 79);
    ASSERT_LE(bytes, 79'050);
  }
}

TEST(DistributionsTest, SkewedIndexFavoursSmallValues) {
  Rng rng(5);
  int low = 0;
  for (int i = 0; i < 10'000; ++i) {
    const uint64_t index = SkewedIndex(rng, 1000);
    ASSERT_LT(index, 1000u);
    low += index < 100 ? 1 : 0;
  }
  // P(index < n/10) = 0.1 * (1 + ln 10) ~ 0.33 (uniform would give 0.1).
  EXPECT_GT(low, 2'900);
  EXPECT_LT(low, 3'700);
}

}  // namespace
}  // namespace silt::loggen
