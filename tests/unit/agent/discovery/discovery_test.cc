#include "agent/discovery/discovery.h"

#include <gtest/gtest.h>
#include <stdio.h>
#include <uv.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "shared/log/memory_sink.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

class RecordingListener final : public DiscoveryListener {
 public:
  void OnRescan(const std::vector<std::string>& paths) override { rescans.push_back(paths); }
  void OnPathsChanged(const std::vector<std::string>& paths) override {
    calls.push_back(paths);
    changed.insert(paths.begin(), paths.end());
  }

  std::vector<std::vector<std::string>> rescans;
  std::vector<std::vector<std::string>> calls;
  std::set<std::string> changed;
};

class DiscoveryTest : public ::testing::Test {
 protected:
  DiscoveryTest() : logger_(log::LoggerOptions{log::Level::kDebug, &log_sink_, nullptr}) {
    uv_loop_init(&loop_);
    options_.rescan_interval_ns = 3'600'000'000'000;  // rescans only when a test asks
    options_.poll_interval_ns = 10'000'000;
  }
  ~DiscoveryTest() override {
    discovery_.reset();
    EXPECT_TRUE(testing::CloseLoop(&loop_));
  }

  void Start(const std::vector<std::string>& globs) {
    Result<WatchSet> set =
        WatchSet::Create({{globs, {}, labels::LabelSet::Of({{"job", "t"}}), {}}}, {".gz"});
    ASSERT_TRUE(set.ok()) << set.status();
    watches_.emplace(std::move(*set));
    discovery_ = std::make_unique<Discovery>(&loop_, &*watches_, &listener_, &logger_, options_);
    discovery_->Start();
  }
  std::string P(const std::string& name) const { return dir_.Path(name); }
  bool Changed(const std::string& path) { return listener_.changed.count(path) > 0; }
  std::vector<std::string> LastRescan() const {
    return listener_.rescans.empty() ? std::vector<std::string>() : listener_.rescans.back();
  }

  uv_loop_t loop_;
  silt::testing::TempDir dir_;
  log::MemorySink log_sink_;
  log::Logger logger_;
  Discovery::Options options_;
  std::optional<WatchSet> watches_;
  RecordingListener listener_;
  std::unique_ptr<Discovery> discovery_;
};

TEST_F(DiscoveryTest, StartReportsEveryMatchingPath) {
  testing::WriteFile(P("a.log"), "");
  testing::WriteFile(P("b.log"), "");
  testing::WriteFile(P("c.txt"), "");
  Start({P("*.log")});
  ASSERT_EQ(listener_.rescans.size(), 1u);
  EXPECT_EQ(LastRescan(), (std::vector<std::string>{P("a.log"), P("b.log")}));
  EXPECT_EQ(discovery_->stats().watched_paths, 2u);
  EXPECT_EQ(discovery_->stats().inotify_directories, 1u);
}

TEST_F(DiscoveryTest, WriteToAWatchedFileIsReported) {
  testing::WriteFile(P("a.log"), "");
  Start({P("*.log")});
  testing::WriteFile(P("a.log"), "x\n");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Changed(P("a.log")); }));
}

TEST_F(DiscoveryTest, NewMatchingFileIsAddedWithoutWaitingForARescan) {
  Start({P("*.log")});
  testing::WriteFile(P("new.log"), "x\n");
  testing::WriteFile(P("new.txt"), "x\n");
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Changed(P("new.log")); }));
  EXPECT_FALSE(Changed(P("new.txt")));
  EXPECT_EQ(discovery_->paths().count(P("new.log")), 1u);
  EXPECT_EQ(listener_.rescans.size(), 1u);
}

TEST_F(DiscoveryTest, EachCallNamesAPathOnce) {
  testing::WriteFile(P("a.log"), "");
  Start({P("*.log")});
  for (int i = 0; i < 50; ++i) testing::WriteFile(P("a.log"), "x\n");
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Changed(P("a.log")); }));
  for (const auto& call : listener_.calls) {
    std::set<std::string> unique(call.begin(), call.end());
    EXPECT_EQ(unique.size(), call.size());
  }
}

TEST_F(DiscoveryTest, ForcedPollingReportsChanges) {
  options_.method = WatchMethod::kPoll;
  testing::WriteFile(P("a.log"), "");
  Start({P("*.log")});
  EXPECT_EQ(discovery_->stats().polled_directories, 1u);
  EXPECT_EQ(discovery_->stats().inotify_directories, 0u);
  EXPECT_EQ(discovery_->stats().fallbacks, 0u);
  testing::WriteFile(P("a.log"), "x\n");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Changed(P("a.log")); }));
}

TEST_F(DiscoveryTest, DirectoriesBeyondTheInotifyLimitArePolledWithALogLine) {
  options_.max_inotify_directories = 1;
  testing::MakeDir(P("a"));
  testing::MakeDir(P("b"));
  testing::WriteFile(P("a/x.log"), "");
  testing::WriteFile(P("b/y.log"), "");
  Start({P("*/*.log")});
  const DiscoveryStats stats = discovery_->stats();
  EXPECT_EQ(stats.inotify_directories, 1u);
  EXPECT_EQ(stats.polled_directories, 2u);  // the top directory uses inotify, a and b are polled
  EXPECT_EQ(stats.fallbacks, 2u);
  const std::string log = log_sink_.Text();
  EXPECT_NE(log.find("level=warn component=discovery msg=\"inotify not used for a directory; "
                     "polling it with stat instead\""),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("reason=inotify_max_directories"), std::string::npos) << log;
  testing::WriteFile(P("a/x.log"), "1\n");
  testing::WriteFile(P("b/y.log"), "1\n");
  EXPECT_TRUE(
      testing::RunUntil(&loop_, [&] { return Changed(P("a/x.log")) && Changed(P("b/y.log")); }));
}

TEST_F(DiscoveryTest, RotatedNamesOfWatchedPathsAreNotWatched) {
  testing::WriteFile(P("app.log"), "");
  testing::WriteFile(P("app.log.1"), "");
  testing::WriteFile(P("app-20240101.log"), "");
  testing::WriteFile(P("other.log"), "");
  Start({P("*")});
  EXPECT_EQ(LastRescan(), (std::vector<std::string>{P("app.log"), P("other.log")}));
  // While app.log is briefly missing (rename, then create), its rotations stay excluded.
  ASSERT_EQ(::rename(P("app.log").c_str(), P("app.log.2").c_str()), 0);
  discovery_->Rescan();
  EXPECT_EQ(LastRescan(), std::vector<std::string>{P("other.log")});
}

TEST_F(DiscoveryTest, EventForARotatedNameDoesNotAddIt) {
  testing::WriteFile(P("app.log"), "");
  Start({P("*")});
  ASSERT_EQ(::rename(P("app.log").c_str(), P("app.log.1").c_str()), 0);
  testing::WriteFile(P("app.log"), "");
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Changed(P("app.log")); }));
  EXPECT_FALSE(Changed(P("app.log.1")));
  EXPECT_EQ(discovery_->paths().count(P("app.log.1")), 0u);
}

TEST_F(DiscoveryTest, MaxPathsKeepsWatchedPathsFirst) {
  options_.max_paths = 2;
  testing::WriteFile(P("b.log"), "");
  testing::WriteFile(P("c.log"), "");
  Start({P("*.log")});
  testing::WriteFile(P("a.log"), "");
  discovery_->Rescan();
  EXPECT_EQ(LastRescan(), (std::vector<std::string>{P("b.log"), P("c.log")}));
  EXPECT_EQ(discovery_->stats().paths_over_limit, 1u);
  EXPECT_NE(log_sink_.Text().find("not_watched=1"), std::string::npos) << log_sink_.Text();
}

TEST_F(DiscoveryTest, NewSubdirectoryBringsTheRescanForward) {
  Start({P("**/*.log")});
  testing::MakeDir(P("sub"));
  testing::WriteFile(P("sub/x.log"), "");
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] {
    std::vector<std::string> last = LastRescan();
    return std::find(last.begin(), last.end(), P("sub/x.log")) != last.end();
  }));
}

TEST_F(DiscoveryTest, DeletedDirectoryIsUnwatchedAtTheNextRescan) {
  testing::MakeDir(P("sub"));
  Start({P("**/*.log")});
  EXPECT_EQ(discovery_->stats().inotify_directories, 2u);
  ASSERT_EQ(::rmdir(P("sub").c_str()), 0);
  discovery_->Rescan();
  EXPECT_EQ(discovery_->stats().inotify_directories, 1u);
}

TEST_F(DiscoveryTest, CloseStopsReporting) {
  testing::WriteFile(P("a.log"), "");
  Start({P("*.log")});
  discovery_->Close();
  testing::WriteFile(P("a.log"), "x\n");
  testing::RunUntil(
      &loop_, [] { return false; }, 50);
  EXPECT_TRUE(listener_.changed.empty());
}

}  // namespace
}  // namespace silt::agent
