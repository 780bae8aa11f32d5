#include "shared/metrics/gauge.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

namespace silt::metrics {
namespace {

TEST(GaugeTest, SetIncDecAdd) {
  Gauge g;
  g.Set(10);
  g.Inc();
  g.Dec(3);
  g.Add(-0.5);
  EXPECT_EQ(g.Value(), 7.5);
  std::string out;
  g.AppendSamples("queue_depth", "", &out);
  EXPECT_EQ(out, "queue_depth 7.5\n");
}

TEST(GaugeTest, CanGoNegative) {
  Gauge g;
  g.Dec(2);
  std::string out;
  g.AppendSamples("delta", "k=\"v\"", &out);
  EXPECT_EQ(out, "delta{k=\"v\"} -2\n");
}

TEST(GaugeTest, ConcurrentIncAndDecBalance) {
  Gauge g;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&g, t] {
      for (int i = 0; i < 50000; ++i) {
        if (t % 2 == 0) {
          g.Inc();
        } else {
          g.Dec();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(g.Value(), 0);
}

TEST(GaugeTest, ConcurrentAddsSumExactly) {
  Gauge g;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&g] {
      for (int i = 0; i < 50000; ++i) g.Add(2);
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(g.Value(), 400000);
}

}  // namespace
}  // namespace silt::metrics
