#include "agent/discovery/inotify_watcher.h"

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

class InotifyWatcherTest : public ::testing::Test {
 protected:
  InotifyWatcherTest() {
    uv_loop_init(&loop_);
    watcher_ = std::make_unique<InotifyWatcher>(
        &loop_, [this](const std::string& dir, const std::string& name) {
          events_.emplace_back(dir, name);
        });
  }
  ~InotifyWatcherTest() override {
    watcher_.reset();
    EXPECT_TRUE(testing::CloseLoop(&loop_));
  }

  bool Saw(const std::string& dir, const std::string& name) {
    for (const Event& event : events_) {
      if (event.first == dir && event.second == name) return true;
    }
    return false;
  }

  uv_loop_t loop_;
  silt::testing::TempDir dir_;
  std::unique_ptr<InotifyWatcher> watcher_;
  std::vector<Event> events_;
};

TEST_F(InotifyWatcherTest, CreatedFileIsReported) {
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  testing::WriteFile(dir_.Path("new.log"), "");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Saw(dir_.path(), "new.log"); }));
}

TEST_F(InotifyWatcherTest, WriteToAFileIsReported) {
  testing::WriteFile(dir_.Path("a.log"), "x\n");
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  testing::WriteFile(dir_.Path("a.log"), "y\n");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Saw(dir_.path(), "a.log"); }));
}

TEST_F(InotifyWatcherTest, RenameReportsBothNames) {
  testing::WriteFile(dir_.Path("a.log"), "x\n");
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  ASSERT_EQ(::rename(dir_.Path("a.log").c_str(), dir_.Path("a.log.1").c_str()), 0);
  EXPECT_TRUE(testing::RunUntil(
      &loop_, [&] { return Saw(dir_.path(), "a.log") && Saw(dir_.path(), "a.log.1"); }));
}

TEST_F(InotifyWatcherTest, AddOfMissingDirectoryIsNotFound) {
  Status status = watcher_->Add(dir_.Path("missing"));
  EXPECT_EQ(status.code(), StatusCode::kNotFound) << status;
  EXPECT_NE(status.message().find(dir_.Path("missing")), std::string::npos);
  EXPECT_EQ(watcher_->size(), 0u);
}

TEST_F(InotifyWatcherTest, RemovedDirectoryReportsNothingMore) {
  const std::string one = dir_.Path("one");
  const std::string two = dir_.Path("two");
  testing::MakeDir(one);
  testing::MakeDir(two);
  ASSERT_TRUE(watcher_->Add(one).ok());
  ASSERT_TRUE(watcher_->Add(two).ok());
  watcher_->Remove(one);
  EXPECT_FALSE(watcher_->Watches(one));
  testing::WriteFile(one + "/a.log", "x\n");
  testing::WriteFile(two + "/b.log", "x\n");
  // Events arrive in order, so one's would have come before two's.
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Saw(two, "b.log"); }));
  for (const Event& event : events_) EXPECT_NE(event.first, one);
}

TEST_F(InotifyWatcherTest, AddingTwiceIsOneWatch) {
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  ASSERT_TRUE(watcher_->Add(dir_.path()).ok());
  EXPECT_EQ(watcher_->size(), 1u);
}

TEST_F(InotifyWatcherTest, AddAfterCloseFails) {
  watcher_->Close();
  EXPECT_EQ(watcher_->Add(dir_.path()).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace silt::agent
