#include "shared/time/clock.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

namespace silt::time {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

int64_t ChronoWallNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

TEST(SystemClockTest, WallTimeIsUnixEpochNanoseconds) {
  SystemClock clock;
  const int64_t before = ChronoWallNanos();
  const int64_t wall = clock.WallNanos();
  const int64_t after = ChronoWallNanos();
  // Both read CLOCK_REALTIME; allow for a clock step between the reads.
  EXPECT_GE(wall, before - 60 * kSecond);
  EXPECT_LE(wall, after + 60 * kSecond);
  EXPECT_GT(wall, int64_t{1'577'836'800} * kSecond);  // after 2020-01-01: nanoseconds, not us
}

TEST(SystemClockTest, MonotonicTimeNeverDecreases) {
  SystemClock clock;
  int64_t previous = clock.MonotonicNanos();
  for (int i = 0; i < 100'000; ++i) {
    const int64_t now = clock.MonotonicNanos();
    ASSERT_GE(now, previous);
    previous = now;
  }
}

TEST(SystemClockTest, UsableThroughTheInterface) {
  SystemClock system;
  const Clock& clock = system;
  EXPECT_GT(clock.WallNanos(), 0);
  EXPECT_GE(clock.MonotonicNanos(), 0);
}

}  // namespace
}  // namespace silt::time
