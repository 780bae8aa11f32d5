#include "shared/time/fake_clock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace silt::time {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kSecond = 1'000'000'000;

TEST(FakeClockTest, StartsAtTheDocumentedTimes) {
  FakeClock clock;
  EXPECT_EQ(clock.WallNanos(), FakeClock::kDefaultWallNanos);
  EXPECT_EQ(clock.MonotonicNanos(), FakeClock::kDefaultMonotonicNanos);
  FakeClock custom(5, 7);
  EXPECT_EQ(custom.WallNanos(), 5);
  EXPECT_EQ(custom.MonotonicNanos(), 7);
}

TEST(FakeClockTest, AdvanceMovesBothClocks) {
  FakeClock clock(100, 1000);
  EXPECT_EQ(clock.Advance(50), 0u);
  EXPECT_EQ(clock.WallNanos(), 150);
  EXPECT_EQ(clock.MonotonicNanos(), 1050);
  clock.Advance(0);
  EXPECT_EQ(clock.WallNanos(), 150);
}

TEST(FakeClockTest, SetWallNanosLeavesMonotonicTimeAndTimersAlone) {
  FakeClock clock(100, 1000);
  int fired = 0;
  clock.Schedule(10, [&] { ++fired; });
  clock.SetWallNanos(-5 * kSecond);  // backwards, as an NTP step may do
  EXPECT_EQ(clock.WallNanos(), -5 * kSecond);
  EXPECT_EQ(clock.MonotonicNanos(), 1000);
  EXPECT_EQ(fired, 0);
  clock.Advance(10);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.WallNanos(), -5 * kSecond + 10);
}

TEST(FakeClockTest, TimerFiresExactlyAtItsDeadline) {
  FakeClock clock;
  int fired = 0;
  clock.Schedule(10 * kSecond, [&] { ++fired; });
  clock.Advance(10 * kSecond - 1);
  EXPECT_EQ(fired, 0);
  clock.Advance(1);
  EXPECT_EQ(fired, 1);
  clock.Advance(100 * kSecond);
  EXPECT_EQ(fired, 1);  // one-shot
}

TEST(FakeClockTest, TimersFireInDeadlineOrder) {
  FakeClock clock;
  std::vector<std::string> order;
  clock.Schedule(30, [&] { order.push_back("30"); });
  clock.Schedule(10, [&] { order.push_back("10"); });
  clock.Schedule(20, [&] { order.push_back("20"); });
  EXPECT_EQ(clock.Advance(100), 3u);
  EXPECT_THAT(order, ElementsAre("10", "20", "30"));
}

TEST(FakeClockTest, EqualDeadlinesFireInSchedulingOrder) {
  FakeClock clock;
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) clock.Schedule(10, [&order, i] { order.push_back(i); });
  clock.Advance(10);
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
}

TEST(FakeClockTest, ClockReadsTheDeadlineWhileACallbackRuns) {
  FakeClock clock(1'000, 500);
  std::vector<std::pair<int64_t, int64_t>> seen;  // (wall, monotonic)
  auto record = [&] { seen.emplace_back(clock.WallNanos(), clock.MonotonicNanos()); };
  clock.Schedule(7, record);
  clock.Schedule(3, record);
  clock.Advance(20);
  EXPECT_THAT(seen, ElementsAre(std::make_pair(int64_t{1'003}, int64_t{503}),
                                std::make_pair(int64_t{1'007}, int64_t{507})));
  EXPECT_EQ(clock.MonotonicNanos(), 520);
  EXPECT_EQ(clock.WallNanos(), 1'020);
}

TEST(FakeClockTest, TimerScheduledByACallbackWithinTheWindowFiresInTheSameAdvance) {
  FakeClock clock(0, 0);
  std::vector<int64_t> fired_at;
  clock.Schedule(10, [&] {
    fired_at.push_back(clock.MonotonicNanos());
    clock.Schedule(5, [&] { fired_at.push_back(clock.MonotonicNanos()); });
  });
  clock.Schedule(12, [&] { fired_at.push_back(clock.MonotonicNanos()); });
  EXPECT_EQ(clock.Advance(20), 3u);
  EXPECT_THAT(fired_at, ElementsAre(10, 12, 15));
}

TEST(FakeClockTest, TimerScheduledByACallbackBeyondTheWindowWaits) {
  FakeClock clock(0, 0);
  int inner = 0;
  clock.Schedule(10, [&] { clock.Schedule(100, [&] { ++inner; }); });
  clock.Advance(20);
  EXPECT_EQ(inner, 0);
  EXPECT_EQ(clock.PendingTimers(), 1u);
  EXPECT_EQ(clock.NextDeadline(), 110);
  clock.Advance(90);
  EXPECT_EQ(inner, 1);
}

TEST(FakeClockTest, SelfReschedulingTimerFiresPeriodically) {
  FakeClock clock(0, 0);
  std::vector<int64_t> ticks;
  std::function<void()> tick = [&] {
    ticks.push_back(clock.MonotonicNanos());
    clock.Schedule(10 * kSecond, tick);
  };
  clock.Schedule(10 * kSecond, tick);
  EXPECT_EQ(clock.Advance(60 * kSecond), 6u);
  EXPECT_THAT(ticks, ElementsAre(10 * kSecond, 20 * kSecond, 30 * kSecond, 40 * kSecond,
                                 50 * kSecond, 60 * kSecond));
  EXPECT_EQ(clock.PendingTimers(), 1u);
}

TEST(FakeClockTest, CallbackCanCancelALaterTimer) {
  FakeClock clock;
  int later = 0;
  TimerService::TimerId later_id = clock.Schedule(20, [&] { ++later; });
  bool cancelled = false;
  clock.Schedule(10, [&] { cancelled = clock.Cancel(later_id); });
  clock.Advance(30);
  EXPECT_TRUE(cancelled);
  EXPECT_EQ(later, 0);
}

TEST(FakeClockTest, CallbackCannotCancelItself) {
  FakeClock clock;
  TimerService::TimerId id = 0;
  bool result = true;
  id = clock.Schedule(10, [&] { result = clock.Cancel(id); });
  clock.Advance(10);
  EXPECT_FALSE(result);
}

TEST(FakeClockTest, CancelReportsWhetherTheTimerWasPending) {
  FakeClock clock;
  int fired = 0;
  TimerService::TimerId a = clock.Schedule(10, [&] { ++fired; });
  TimerService::TimerId b = clock.Schedule(10, [&] { ++fired; });
  EXPECT_TRUE(clock.Cancel(a));
  EXPECT_FALSE(clock.Cancel(a));  // already cancelled
  clock.Advance(10);
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(clock.Cancel(b));  // already fired
  EXPECT_FALSE(clock.Cancel(12345));
  EXPECT_FALSE(clock.Cancel(TimerService::kInvalidTimerId));
}

TEST(FakeClockTest, CancelDestroysTheCallback) {
  FakeClock clock;
  auto token = std::make_shared<int>(0);
  TimerService::TimerId id = clock.Schedule(10, [token] {});
  EXPECT_EQ(token.use_count(), 2);
  EXPECT_TRUE(clock.Cancel(id));
  EXPECT_EQ(token.use_count(), 1);
}

TEST(FakeClockTest, ZeroDelayRunsOnRunDueNeverInsideSchedule) {
  FakeClock clock;
  int fired = 0;
  clock.Schedule(0, [&] { ++fired; });
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(clock.RunDue(), 1u);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.RunDue(), 0u);
}

TEST(FakeClockTest, NegativeDelayCountsAsZero) {
  FakeClock clock;
  int fired = 0;
  clock.Schedule(-5 * kSecond, [&] { ++fired; });
  EXPECT_EQ(clock.NextDeadline(), clock.MonotonicNanos());
  const int64_t before = clock.MonotonicNanos();
  clock.RunDue();
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.MonotonicNanos(), before);  // time never goes back
}

TEST(FakeClockTest, RunDueDoesNotMoveTime) {
  FakeClock clock;
  int fired = 0;
  clock.Schedule(1, [&] { ++fired; });
  const int64_t wall = clock.WallNanos();
  EXPECT_EQ(clock.RunDue(), 0u);
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(clock.WallNanos(), wall);
}

TEST(FakeClockTest, PendingTimersAndNextDeadlineTrackTheQueue) {
  FakeClock clock(0, 100);
  EXPECT_EQ(clock.PendingTimers(), 0u);
  EXPECT_EQ(clock.NextDeadline(), std::nullopt);
  TimerService::TimerId a = clock.Schedule(50, [] {});
  clock.Schedule(20, [] {});
  EXPECT_EQ(clock.PendingTimers(), 2u);
  EXPECT_EQ(clock.NextDeadline(), 120);
  clock.Advance(20);
  EXPECT_EQ(clock.PendingTimers(), 1u);
  EXPECT_EQ(clock.NextDeadline(), 150);
  clock.Cancel(a);
  EXPECT_EQ(clock.PendingTimers(), 0u);
  EXPECT_EQ(clock.NextDeadline(), std::nullopt);
}

TEST(FakeClockTest, IdsAreUniqueAndNeverInvalid) {
  FakeClock clock;
  std::vector<TimerService::TimerId> ids;
  for (int i = 0; i < 100; ++i) {
    TimerService::TimerId id = clock.Schedule(i, [] {});
    EXPECT_NE(id, TimerService::kInvalidTimerId);
    for (TimerService::TimerId seen : ids) ASSERT_NE(seen, id);
    ids.push_back(id);
  }
}

TEST(FakeClockTest, HugeDelaysSaturateInsteadOfWrapping) {
  FakeClock clock;
  int fired = 0;
  clock.Schedule(std::numeric_limits<int64_t>::max(), [&] { ++fired; });
  EXPECT_EQ(clock.NextDeadline(), std::numeric_limits<int64_t>::max());
  clock.Advance(kSecond);
  EXPECT_EQ(fired, 0);
}

TEST(FakeClockTest, WorksThroughTheInterfaces) {
  FakeClock fake(0, 0);
  Clock& clock = fake;
  TimerService& timers = fake;
  int fired = 0;
  timers.Schedule(5, [&] { ++fired; });
  fake.Advance(5);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(clock.MonotonicNanos(), 5);
}

}  // namespace
}  // namespace silt::time
