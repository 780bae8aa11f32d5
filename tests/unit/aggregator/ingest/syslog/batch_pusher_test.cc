// BatchPusher on a real libuv loop with a scripted push function in place of the storage engine:
// retry after ResourceExhausted (TCP), drop and count (UDP), storage failures, order.
#include "aggregator/ingest/syslog/batch_pusher.h"

#include <gtest/gtest.h>
#include <uv.h>

#include <deque>
#include <string>
#include <vector>

#include "shared/time/clock.h"
#include "shared/time/uv_timer_service.h"

namespace silt::ingest {
namespace {

const ReceiveContext kNow{.receive_time_ns = 1'796'000'000'000'000'000};

class BatchPusherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(uv_loop_init(&loop_), 0);
    timers_ = std::make_unique<time::UvTimerService>(&loop_);
    metrics_ = *SyslogMetrics::Register(&registry_);
    options_.retry_interval_ns = 1'000'000;  // 1 ms
    env_.options = &options_;
    env_.metrics = &metrics_;
    env_.mailbox = server::CompletionMailbox::Create(&loop_);
    env_.timers = timers_.get();
    env_.clock = &clock_;
    env_.logger = &logger_;
    env_.push = [this](engine::PushRequest request, engine::PushCallback done) {
      Status next = script_.empty() ? Status::Ok() : script_.front();
      if (!script_.empty()) script_.pop_front();
      if (!next.ok()) return next;
      for (const engine::PushStream& s : request.streams) {
        for (const engine::PushEntry& e : s.entries) pushed_.emplace_back(e.line);
      }
      engine::PushOutcome outcome;
      outcome.accepted = request.EntryCount();
      done(storage_status_, outcome);
      return Status::Ok();
    };
  }
  void TearDown() override {
    pusher_.reset();
    timers_->Close();
    env_.mailbox->Close();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  SyslogBatch Batch(std::initializer_list<std::string> lines) {
    SyslogBatch batch(&options_.labels);
    for (const std::string& line : lines) batch.Add("<14>1 - h a - - - " + line, kNow, "p");
    return batch;
  }
  void RunUntilIdle() {
    while (!pusher_->idle()) uv_run(&loop_, UV_RUN_ONCE);
  }
  double Entries(std::string_view transport, std::string_view outcome) {
    return metrics_.entries->WithLabels({transport, outcome}).Value();
  }

  uv_loop_t loop_;
  std::unique_ptr<time::UvTimerService> timers_;
  metrics::Registry registry_;
  SyslogMetrics metrics_;
  SyslogOptions options_;
  time::SystemClock clock_;
  log::Logger logger_;
  SyslogEnv env_;
  std::shared_ptr<BatchPusher> pusher_;
  std::deque<Status> script_;
  Status storage_status_;
  std::vector<std::string> pushed_;
};

TEST_F(BatchPusherTest, ResourceExhaustedIsRetriedAndLaterBatchesWaitBehindIt) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "tcp", /*retry_when_exhausted=*/true);
  script_ = {Status::ResourceExhausted("head full"), Status::ResourceExhausted("head full")};
  pusher_->Submit(Batch({"one", "two"}));
  pusher_->Submit(Batch({"three"}));
  EXPECT_TRUE(pusher_->retrying());
  EXPECT_GT(pusher_->pending_bytes(), 0u);
  EXPECT_TRUE(pushed_.empty());
  RunUntilIdle();
  EXPECT_EQ(pushed_, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(metrics_.retries->Value(), 2);
  EXPECT_EQ(Entries("tcp", "accepted"), 3);
  EXPECT_EQ(pusher_->pending_bytes(), 0u);
}

TEST_F(BatchPusherTest, OnProgressRunsAfterEachCompletionAndRetry) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "tcp", true);
  int progress = 0;
  pusher_->set_on_progress([&] { ++progress; });
  script_ = {Status::ResourceExhausted("wal queue full")};
  pusher_->Submit(Batch({"x"}));
  RunUntilIdle();
  EXPECT_GE(progress, 2);  // the retry attempt, then the completion
}

TEST_F(BatchPusherTest, UdpDropsWhatStorageRefusesAndCountsIt) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "udp", /*retry_when_exhausted=*/false);
  script_ = {Status::ResourceExhausted("head full")};
  pusher_->Submit(Batch({"lost1", "lost2"}));
  EXPECT_FALSE(pusher_->retrying());
  pusher_->Submit(Batch({"kept"}));
  RunUntilIdle();
  EXPECT_EQ(pushed_, (std::vector<std::string>{"kept"}));
  EXPECT_EQ(Entries("udp", "dropped"), 2);
  EXPECT_EQ(Entries("udp", "accepted"), 1);
}

TEST_F(BatchPusherTest, OtherRefusalsAreDroppedEvenOnTcp) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "tcp", true);
  script_ = {Status::InvalidArgument("bad labels")};
  pusher_->Submit(Batch({"bad"}));
  pusher_->Submit(Batch({"good"}));
  RunUntilIdle();
  EXPECT_EQ(pushed_, (std::vector<std::string>{"good"}));
  EXPECT_EQ(Entries("tcp", "dropped"), 1);
}

TEST_F(BatchPusherTest, StorageFailureAfterAcceptanceIsCountedDropped) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "tcp", true);
  storage_status_ = Status::IOError("fsync failed");
  pusher_->Submit(Batch({"a", "b"}));
  RunUntilIdle();
  EXPECT_EQ(Entries("tcp", "dropped"), 2);
  EXPECT_EQ(Entries("tcp", "accepted"), 0);
}

TEST_F(BatchPusherTest, EmptyBatchIsIgnored) {
  pusher_ = std::make_shared<BatchPusher>(&env_, "tcp", true);
  pusher_->Submit(Batch({}));
  EXPECT_TRUE(pusher_->idle());
  EXPECT_EQ(pusher_->pending_bytes(), 0u);
}

}  // namespace
}  // namespace silt::ingest
