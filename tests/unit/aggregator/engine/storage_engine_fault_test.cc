// Flushes under injected file system faults: for every kind of call a flush makes, fail the
// first, second, ... call of that kind until a flush gets through without hitting the fault.
// Each time the failed flush must leave everything readable exactly once, a retry must succeed,
// and a restart must find every entry exactly once. Also: running out of space at every point.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/fake_clock.h"
#include "tests/support/temp_dir.h"

namespace silt::engine {
namespace {

constexpr int64_t kHourNs = 3600 * kSecondNs;
constexpr int64_t kT0 = (time::FakeClock::kDefaultWallNanos / kHourNs) * kHourNs;

class Scenario {
 public:
  explicit Scenario(fs::FileSystem* fs) : fs_(fs) {}

  EngineOptions Options() {
    EngineOptions options;
    options.fs = fs_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    return options;
  }

  Status Open() {
    auto opened = StorageEngine::Open(Options());
    if (!opened.ok()) return opened.status();
    engine_ = std::move(*opened);
    return Status::Ok();
  }

  // Three streams over two partitions, 20 entries each.
  void Fill() {
    for (int i = 0; i < 20; ++i) {
      PushRequest request;
      request.tenant = "t";
      std::vector<std::string> lines;  // the request holds views of them
      lines.reserve(3);
      for (const char* job : {"api", "web", "db"}) {
        int64_t ts = kT0 + (i % 2) * kHourNs + i;
        const std::string& line = lines.emplace_back(std::string(job) + " " + std::to_string(i));
        request.streams.push_back({labels::LabelSet::Of({{"job", job}}), {{ts, line, {}}}});
      }
      ASSERT_TRUE(engine_->PushSync(std::move(request)).ok());
    }
  }

  // Every stream holds its 20 entries exactly once.
  void ExpectEverythingOnce(const std::string& when) {
    for (const char* job : {"api", "web", "db"}) {
      std::vector<labels::Matcher> matchers = {
          *labels::Matcher::Create(labels::MatchType::kEqual, "job", job)};
      auto selected = engine_->Select("t", matchers, INT64_MIN, INT64_MAX);
      ASSERT_TRUE(selected.ok()) << when << ": " << selected.status();
      ASSERT_EQ(selected->size(), 1u) << when;
      std::vector<int> seen(20, 0);
      for (auto it = (*selected)[0].NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward);
           it.Valid(); it.Next()) {
        std::string line(it.line());
        int i = std::stoi(line.substr(line.find(' ') + 1));
        ASSERT_GE(i, 0);
        ASSERT_LT(i, 20);
        ++seen[i];
      }
      for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(seen[i], 1) << when << ": " << job << " entry " << i;
      }
    }
  }

  void Close() {
    if (engine_) engine_->Close().IgnoreError();
    engine_.reset();
  }

  StorageEngine& engine() { return *engine_; }
  const std::string& dir() const { return dir_.path(); }

 private:
  testing::TempDir dir_;
  fs::FileSystem* fs_;
  time::FakeClock clock_;
  std::unique_ptr<StorageEngine> engine_;
};

class StorageEngineFaultTest : public ::testing::TestWithParam<fs::Op> {};

TEST_P(StorageEngineFaultTest, FlushFailingAtEveryCallRecovers) {
  const fs::Op op = GetParam();
  for (uint64_t n = 1;; ++n) {
    ASSERT_LT(n, 200u) << "a flush should make far fewer calls";
    fs::PosixFileSystem posix;
    fs::FaultInjectionFileSystem faults(&posix);
    Scenario scenario(&faults);
    ASSERT_TRUE(scenario.Open().ok());
    scenario.Fill();
    uint64_t calls_before = faults.CallCount(op);
    faults.FailNth(op, n);
    Status flushed = scenario.engine().Flush(StorageEngine::FlushScope::kAll);
    bool hit = faults.CallCount(op) - calls_before >= n;
    faults.ClearFaults();
    std::string when = std::string(fs::OpName(op)) + " #" + std::to_string(n) + " failed (" +
                       flushed.ToString() + ")";
    scenario.ExpectEverythingOnce(when + ", before the retry");
    Status retried = scenario.engine().Flush(StorageEngine::FlushScope::kAll);
    EXPECT_TRUE(retried.ok()) << when << ": retry: " << retried;
    scenario.ExpectEverythingOnce(when + ", after the retry");
    EXPECT_EQ(scenario.engine().head().bytes(), 0u) << when;
    scenario.Close();
    // Restart on the plain file system (and once more after a power loss).
    ASSERT_TRUE(faults.DropUnsyncedData().ok());
    ASSERT_TRUE(scenario.Open().ok()) << when;
    scenario.ExpectEverythingOnce(when + ", after a restart");
    scenario.Close();
    if (!hit) break;  // the flush made fewer than n such calls: every one has failed once
  }
}

INSTANTIATE_TEST_SUITE_P(EveryCallAFlushMakes, StorageEngineFaultTest,
                         ::testing::Values(fs::Op::kOpen, fs::Op::kWrite, fs::Op::kSync,
                                           fs::Op::kClose, fs::Op::kRename, fs::Op::kDelete,
                                           fs::Op::kCreateDir, fs::Op::kSyncDir, fs::Op::kStat,
                                           fs::Op::kRead, fs::Op::kListDir),
                         [](const ::testing::TestParamInfo<fs::Op>& info) {
                           return std::string(fs::OpName(info.param));
                         });

TEST(StorageEngineNoSpaceTest, FlushOutOfSpaceAtEveryByteBudgetRecovers) {
  // The budget grows in steps that cover the chunk file, index.silt and the checkpoint.
  for (uint64_t budget = 0;; budget += 97) {
    ASSERT_LT(budget, uint64_t{1} << 20);
    fs::PosixFileSystem posix;
    fs::FaultInjectionFileSystem faults(&posix);
    Scenario scenario(&faults);
    ASSERT_TRUE(scenario.Open().ok());
    scenario.Fill();
    faults.SetFreeSpace(budget);
    Status flushed = scenario.engine().Flush(StorageEngine::FlushScope::kAll);
    faults.ClearFaults();
    std::string when = "free space " + std::to_string(budget) + " (" + flushed.ToString() + ")";
    if (!flushed.ok()) {
      EXPECT_EQ(flushed.code(), StatusCode::kResourceExhausted) << when;
    }
    scenario.ExpectEverythingOnce(when);
    EXPECT_TRUE(scenario.engine().Flush(StorageEngine::FlushScope::kAll).ok()) << when;
    scenario.Close();
    ASSERT_TRUE(faults.DropUnsyncedData().ok());
    ASSERT_TRUE(scenario.Open().ok()) << when;
    scenario.ExpectEverythingOnce(when + ", after a restart");
    scenario.Close();
    if (flushed.ok()) break;
  }
}

}  // namespace
}  // namespace silt::engine
