#include "shared/metrics/counter.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace silt::metrics {
namespace {

std::string Samples(const Counter& c, std::string_view labels = "") {
  std::string out;
  c.AppendSamples("x_total", labels, &out);
  return out;
}

TEST(CounterTest, StartsAtZero) {
  Counter c;
  EXPECT_EQ(c.Value(), 0);
  EXPECT_EQ(Samples(c), "x_total 0\n");
}

TEST(CounterTest, IntegerIncrementsStayExactBeyondDoublePrecision) {
  Counter c;
  c.Inc(9007199254740993ull);  // 2^53 + 1: not representable as a double
  EXPECT_EQ(Samples(c), "x_total 9007199254740993\n");
}

TEST(CounterTest, FractionalAmountsAddToIntegerOnes) {
  Counter c;
  c.Inc();
  c.Inc(2);
  c.Add(0.25);
  EXPECT_DOUBLE_EQ(c.Value(), 3.25);
  EXPECT_EQ(Samples(c, "a=\"b\""), "x_total{a=\"b\"} 3.25\n");
}

TEST(CounterTest, ConcurrentIncrementsSumExactly) {
  Counter c;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < kPerThread; ++i) c.Inc();
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(Samples(c), "x_total " + std::to_string(kThreads * kPerThread) + "\n");
}

TEST(CounterTest, ConcurrentFractionalAddsSumExactly) {
  Counter c;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < kPerThread; ++i) c.Add(0.5);  // exact in binary, so no rounding
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(c.Value(), kThreads * kPerThread * 0.5);
}

}  // namespace
}  // namespace silt::metrics
