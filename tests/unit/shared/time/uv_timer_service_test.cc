#include "shared/time/uv_timer_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <uv.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace silt::time {
namespace {

using ::testing::ElementsAre;

constexpr int64_t kMillisecond = 1'000'000;

// Every test ends by running the loop dry and closing it: a handle left open fails the test.
class UvTimerServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    service_ = std::make_unique<UvTimerService>(&loop_);
  }
  void TearDown() override {
    service_.reset();
    EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  uv_loop_t loop_;
  std::unique_ptr<UvTimerService> service_;
};

TEST_F(UvTimerServiceTest, TimersFireInDeadlineOrder) {
  std::vector<int> order;
  service_->Schedule(3 * kMillisecond, [&] { order.push_back(3); });
  service_->Schedule(1 * kMillisecond, [&] { order.push_back(1); });
  service_->Schedule(2 * kMillisecond, [&] { order.push_back(2); });
  EXPECT_EQ(service_->PendingTimers(), 3u);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_THAT(order, ElementsAre(1, 2, 3));
  EXPECT_EQ(service_->PendingTimers(), 0u);
}

TEST_F(UvTimerServiceTest, EqualDelaysFireInSchedulingOrder) {
  std::vector<int> order;
  for (int i = 0; i < 5; ++i) service_->Schedule(kMillisecond, [&order, i] { order.push_back(i); });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_THAT(order, ElementsAre(0, 1, 2, 3, 4));
}

TEST_F(UvTimerServiceTest, CallbackNeverRunsInsideSchedule) {
  int fired = 0;
  service_->Schedule(0, [&] { ++fired; });
  EXPECT_EQ(fired, 0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(fired, 1);
}

TEST_F(UvTimerServiceTest, CancelledTimerNeverFires) {
  std::vector<int> order;
  TimerService::TimerId a = service_->Schedule(1 * kMillisecond, [&] { order.push_back(1); });
  service_->Schedule(2 * kMillisecond, [&] { order.push_back(2); });
  EXPECT_TRUE(service_->Cancel(a));
  EXPECT_FALSE(service_->Cancel(a));
  EXPECT_EQ(service_->PendingTimers(), 1u);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_THAT(order, ElementsAre(2));
}

TEST_F(UvTimerServiceTest, CancelAfterFiringReturnsFalse) {
  int fired = 0;
  TimerService::TimerId id = service_->Schedule(0, [&] { ++fired; });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(fired, 1);
  EXPECT_FALSE(service_->Cancel(id));
  EXPECT_FALSE(service_->Cancel(987654));
}

TEST_F(UvTimerServiceTest, CallbacksMayScheduleAndCancel) {
  std::vector<int> order;
  TimerService::TimerId victim = service_->Schedule(50 * kMillisecond, [&] { order.push_back(9); });
  service_->Schedule(kMillisecond, [&] {
    order.push_back(1);
    EXPECT_TRUE(service_->Cancel(victim));
    service_->Schedule(kMillisecond, [&] { order.push_back(2); });
  });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_THAT(order, ElementsAre(1, 2));
}

TEST_F(UvTimerServiceTest, DelayIsRoundedUpToWholeMilliseconds) {
  uv_update_time(&loop_);
  const uint64_t start = uv_now(&loop_);
  uint64_t fired_at = 0;
  service_->Schedule(1, [&] { fired_at = uv_now(&loop_); });  // 1ns -> 1ms
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_GE(fired_at, start + 1);
}

TEST_F(UvTimerServiceTest, CloseCancelsPendingTimersSoTheLoopCanClose) {
  int fired = 0;
  auto token = std::make_shared<int>(0);
  for (int i = 0; i < 3; ++i) service_->Schedule(3'600'000 * kMillisecond, [&, token] { ++fired; });
  EXPECT_EQ(token.use_count(), 4);
  service_->Close();
  EXPECT_EQ(service_->PendingTimers(), 0u);
  EXPECT_EQ(token.use_count(), 1);  // callbacks destroyed without running
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
  EXPECT_EQ(fired, 0);
  service_->Close();  // idempotent
}

TEST_F(UvTimerServiceTest, ScheduleAfterCloseIsRefused) {
  service_->Close();
  int fired = 0;
  EXPECT_EQ(service_->Schedule(0, [&] { ++fired; }), TimerService::kInvalidTimerId);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(fired, 0);
}

TEST_F(UvTimerServiceTest, DestructorClosesPendingTimers) {
  int fired = 0;
  service_->Schedule(3'600'000 * kMillisecond, [&] { ++fired; });
  service_.reset();
  EXPECT_EQ(uv_run(&loop_, UV_RUN_DEFAULT), 0);
  EXPECT_EQ(fired, 0);
}

TEST_F(UvTimerServiceTest, CallbackMayDestroyTheService) {
  int fired = 0;
  service_->Schedule(kMillisecond, [&] {
    ++fired;
    service_.reset();
  });
  service_->Schedule(3'600'000 * kMillisecond, [&] { ++fired; });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(fired, 1);
}

TEST_F(UvTimerServiceTest, ManyTimersAllFireOnce) {
  std::vector<int> counts(200, 0);
  for (int i = 0; i < 200; ++i) {
    service_->Schedule((i % 5) * kMillisecond, [&counts, i] { ++counts[i]; });
  }
  uv_run(&loop_, UV_RUN_DEFAULT);
  for (int c : counts) EXPECT_EQ(c, 1);
}

}  // namespace
}  // namespace silt::time
