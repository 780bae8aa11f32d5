#include "agent/ship/backoff.h"

#include <gtest/gtest.h>

namespace silt::agent {
namespace {

TEST(BackoffTest, CeilingDoublesUpToTheCap) {
  Backoff backoff(100, 1000, 1);
  for (int64_t ceiling : {100, 200, 400, 800, 1000, 1000}) {
    EXPECT_EQ(backoff.Ceiling(), ceiling);
    const int64_t delay = backoff.Next();
    EXPECT_GE(delay, 0);
    EXPECT_LE(delay, ceiling);
  }
  backoff.Reset();
  EXPECT_EQ(backoff.Ceiling(), 100);
}

TEST(BackoffTest, FullJitterSpreadsDelays) {
  Backoff backoff(1'000'000, 30'000'000'000, 7);
  for (int i = 0; i < 20; ++i) backoff.Next();
  int64_t low = INT64_MAX;
  int64_t high = 0;
  for (int i = 0; i < 200; ++i) {
    const int64_t delay = backoff.Next();
    low = std::min(low, delay);
    high = std::max(high, delay);
  }
  EXPECT_LT(low, 3'000'000'000);
  EXPECT_GT(high, 27'000'000'000);
}

TEST(BackoffTest, ManyAttemptsDoNotOverflow) {
  Backoff backoff(100'000'000, 30'000'000'000, 3);
  for (int i = 0; i < 1000; ++i) EXPECT_LE(backoff.Next(), 30'000'000'000);
}

}  // namespace
}  // namespace silt::agent
