#include "tests/bench/loggen/pacer.h"

#include <gtest/gtest.h>

namespace silt::loggen {
namespace {

TEST(PacerTest, ZeroRateNeverWaits) {
  const Pacer pacer(0, 1000);
  EXPECT_EQ(pacer.WaitBefore(1'000'000, 0), 0);
}

TEST(PacerTest, EntriesAreDueAtFixedIntervals) {
  const Pacer pacer(10, 5'000'000'000);
  EXPECT_EQ(pacer.DueAt(0), 5'000'000'000);
  EXPECT_EQ(pacer.DueAt(1), 5'100'000'000);
  EXPECT_EQ(pacer.DueAt(10), 6'000'000'000);
}

TEST(PacerTest, WaitsUntilTheEntryIsDue) {
  const Pacer pacer(10, 0);
  EXPECT_EQ(pacer.WaitBefore(0, 0), 0);
  EXPECT_EQ(pacer.WaitBefore(1, 0), 100'000'000);
  EXPECT_EQ(pacer.WaitBefore(1, 60'000'000), 40'000'000);
}

TEST(PacerTest, BehindScheduleDoesNotWait) {
  const Pacer pacer(10, 0);
  EXPECT_EQ(pacer.WaitBefore(5, 2'000'000'000), 0);
}

TEST(PacerTest, ShortWaitsAreSkipped) {
  const Pacer pacer(100'000, 0);  // 10us apart
  EXPECT_EQ(pacer.WaitBefore(1, 0), 0);
  EXPECT_EQ(pacer.WaitBefore(20, 0), Pacer::kMinWaitNanos);
}

}  // namespace
}  // namespace silt::loggen
