#include "agent/discovery/poll_watcher.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <uv.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

using Event = std::pair<std::string, std::string>;

class PollWatcherTest : public ::testing::Test {
 protected:
  PollWatcherTest() { uv_loop_init(&loop_); }
  ~PollWatcherTest() override {
    watcher_.reset();
    EXPECT_TRUE(testing::CloseLoop(&loop_));
  }

  void Make(int64_t interval_ns = 3'600'000'000'000) {
    watcher_ = std::make_unique<PollWatcher>(
        &loop_, interval_ns,
        [this](const std::string& dir, const std::string& name) { events_.emplace(dir, name); });
  }

  uv_loop_t loop_;
  silt::testing::TempDir dir_;
  std::unique_ptr<PollWatcher> watcher_;
  std::set<Event> events_;
};

TEST_F(PollWatcherTest, AddOfMissingDirectoryIsNotFound) {
  Make();
  Status status = watcher_->Add(dir_.Path("missing"));
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status;
  EXPECT_NE(status.message().find(dir_.Path("missing")), std::string::npos);
  EXPECT_FALSE(watcher_->Watches(dir_.Path("missing")));
}

TEST_F(PollWatcherTest, BaselineIsNotReported) {
  testing::WriteFile(dir_.Path("a.log"), "x\n");
  Make();
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  watcher_->PollNow();
  EXPECT_TRUE(events_.empty());
}

TEST_F(PollWatcherTest, NewChangedAndRemovedNamesAreReported) {
  testing::WriteFile(dir_.Path("grows.log"), "x\n");
  testing::WriteFile(dir_.Path("goes.log"), "x\n");
  testing::WriteFile(dir_.Path("same.log"), "x\n");
  Make();
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  testing::WriteFile(dir_.Path("grows.log"), "y\n");
  ASSERT_EQ(::remove(dir_.Path("goes.log").c_str()), 0);
  testing::WriteFile(dir_.Path("new.log"), "");
  watcher_->PollNow();
  EXPECT_EQ(events_,
            (std::set<Event>{
                {dir_.path(), "goes.log"}, {dir_.path(), "grows.log"}, {dir_.path(), "new.log"}}));
  events_.clear();
  watcher_->PollNow();
  EXPECT_TRUE(events_.empty());
}

TEST_F(PollWatcherTest, ReplacedFileIsReportedEvenWithTheSameSize) {
  testing::WriteFile(dir_.Path("a.log"), "1234\n");
  Make();
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  ASSERT_EQ(::rename(dir_.Path("a.log").c_str(), dir_.Path("a.log.1").c_str()), 0);
  testing::WriteFile(dir_.Path("a.log"), "5678\n");
  watcher_->PollNow();
  EXPECT_EQ(events_.count({dir_.path(), "a.log"}), 1u);
  EXPECT_EQ(events_.count({dir_.path(), "a.log.1"}), 1u);
}

TEST_F(PollWatcherTest, VanishedDirectoryIsReportedOnceWithAnEmptyName) {
  const std::string sub = dir_.Path("sub");
  testing::MakeDir(sub);
  Make();
  ASSERT_TRUE(watcher_->Add(sub).ok());
  ASSERT_EQ(::rmdir(sub.c_str()), 0);
  watcher_->PollNow();
  watcher_->PollNow();
  EXPECT_EQ(events_, (std::set<Event>{{sub, ""}}));
}

TEST_F(PollWatcherTest, TimerPollsPeriodically) {
  Make(10'000'000);
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  testing::WriteFile(dir_.Path("late.log"), "x\n");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return events_.count({dir_.path(), "late.log"}); }));
}

TEST_F(PollWatcherTest, RemovedDirectoryIsNoLongerPolled) {
  Make();
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  EXPECT_EQ(watcher_->size(), 1u);
  watcher_->Remove(dir_.path());
  testing::WriteFile(dir_.Path("a.log"), "x\n");
  watcher_->PollNow();
  EXPECT_TRUE(events_.empty());
  EXPECT_EQ(watcher_->size(), 0u);
}

TEST_F(PollWatcherTest, AddAfterCloseFails) {
  Make();
  watcher_->Close();
  EXPECT_EQ(watcher_->Add(dir_.path()).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace silt::agent
