#include "shared/metrics/histogram.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace silt::metrics {
namespace {

std::shared_ptr<const std::vector<double>> Bounds(std::vector<double> b) {
  return std::make_shared<const std::vector<double>>(std::move(b));
}

TEST(HistogramTest, ValueEqualToABoundCountsInThatBucket) {
  Histogram h(Bounds({1, 2, 5}));
  h.Observe(1);
  h.Observe(2);
  h.Observe(5);
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{1, 2, 3, 3}));
  EXPECT_EQ(s.count, 3u);
  EXPECT_EQ(s.sum, 8);
}

TEST(HistogramTest, ValuesJustAboveABoundGoToTheNextBucket) {
  Histogram h(Bounds({1, 2}));
  h.Observe(std::nextafter(1.0, 2.0));
  h.Observe(2.5);
  h.Observe(-7);
  EXPECT_EQ(h.Read().cumulative, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(HistogramTest, NaNCountsOnlyInTheInfBucket) {
  Histogram h(Bounds({1}));
  h.Observe(std::nan(""));
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{0, 1}));
  EXPECT_TRUE(std::isnan(s.sum));
}

TEST(HistogramTest, ExposesCumulativeBucketsSumAndCount) {
  Histogram h(Bounds({0.005, 0.5, 1, 1e6}));
  h.Observe(0.0009765625);  // 2^-10: every value here is exact in binary
  h.Observe(0.25);
  h.Observe(0.75);
  h.Observe(3);
  std::string out;
  h.AppendSamples("req_seconds", "path=\"/x\"", &out);
  EXPECT_EQ(out,
            "req_seconds_bucket{path=\"/x\",le=\"0.005\"} 1\n"
            "req_seconds_bucket{path=\"/x\",le=\"0.5\"} 2\n"
            "req_seconds_bucket{path=\"/x\",le=\"1\"} 3\n"
            "req_seconds_bucket{path=\"/x\",le=\"1e+06\"} 4\n"
            "req_seconds_bucket{path=\"/x\",le=\"+Inf\"} 4\n"
            "req_seconds_sum{path=\"/x\"} 4.0009765625\n"
            "req_seconds_count{path=\"/x\"} 4\n");
}

TEST(HistogramTest, LabelLessExpositionHasOnlyLe) {
  Histogram h(Bounds({}));
  h.Observe(2);
  std::string out;
  h.AppendSamples("h", "", &out);
  EXPECT_EQ(out, "h_bucket{le=\"+Inf\"} 1\nh_sum 2\nh_count 1\n");
}

TEST(HistogramTest, ConcurrentObservationsAreAllCounted) {
  Histogram h(Bounds({10, 100}));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&h, t] {
      for (int i = 0; i < 25000; ++i) h.Observe(t * 40.0);  // 0, 40, 80, 120
    });
  }
  for (std::thread& t : threads) t.join();
  Histogram::Snapshot s = h.Read();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{25000, 75000, 100000}));
  EXPECT_EQ(s.sum, 25000 * (0 + 40 + 80 + 120));
}

TEST(HistogramTest, ExponentialBuckets) {
  EXPECT_EQ(ExponentialBuckets(1, 2, 4), (std::vector<double>{1, 2, 4, 8}));
  EXPECT_EQ(ExponentialBuckets(0.001, 10, 3).size(), 3u);
}

TEST(HistogramTest, LinearBuckets) {
  EXPECT_EQ(LinearBuckets(0, 5, 3), (std::vector<double>{0, 5, 10}));
  EXPECT_EQ(LinearBuckets(-1, 0.5, 3), (std::vector<double>{-1, -0.5, 0}));
}

}  // namespace
}  // namespace silt::metrics
