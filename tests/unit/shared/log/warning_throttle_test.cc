#include "shared/log/warning_throttle.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace silt::log {
namespace {

TEST(WarningThrottleTest, FirstOccurrenceIsDueThenOncePerIntervalWithTheCount) {
  WarningThrottle throttle(100);
  EXPECT_EQ(throttle.Note(1000), 1u);
  EXPECT_EQ(throttle.Note(1050), std::nullopt);
  EXPECT_EQ(throttle.Note(1099), std::nullopt);
  // Due again at the interval's end, reporting the two held back and this one.
  EXPECT_EQ(throttle.Note(1100), 3u);
  EXPECT_EQ(throttle.Note(1150), std::nullopt);
  EXPECT_EQ(throttle.Note(5000), 2u);
}

TEST(WarningThrottleTest, ConcurrentCallersReportEveryOccurrenceOnce) {
  WarningThrottle throttle(1);
  std::atomic<uint64_t> reported{0};
  std::atomic<int64_t> clock{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        if (auto n = throttle.Note(clock.fetch_add(1))) reported += *n;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  // The occurrences after the last warning are still held; one more due call reports them.
  reported += throttle.Note(clock.load() + 10).value_or(0);
  EXPECT_EQ(reported.load(), 40001u);
}

}  // namespace
}  // namespace silt::log
