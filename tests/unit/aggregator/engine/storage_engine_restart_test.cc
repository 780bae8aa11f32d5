// Restart regressions found by the crash and power-loss harnesses
// (tests/integration/aggregator), each as the smallest reproduction.
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

EngineOptions Options(fs::FileSystem* fs, const time::Clock* clock, const std::string& dir) {
  EngineOptions options;
  options.fs = fs;
  options.clock = clock;
  options.data_dir = dir;
  options.background_flush = false;
  return options;
}

Status Push(StorageEngine& engine, const std::string& job, int64_t ts, const std::string& line) {
  PushRequest request;
  request.tenant = "t";
  request.streams.push_back({labels::LabelSet::Of({{"job", job}}), {{ts, line, {}}}});
  return engine.PushSync(std::move(request)).status();
}

// The lines of {job="<job>"}, oldest first.
std::vector<std::string> Read(const StorageEngine& engine, const std::string& job) {
  std::vector<labels::Matcher> matchers = {
      *labels::Matcher::Create(labels::MatchType::kEqual, "job", job)};
  auto selected = engine.Select("t", matchers, INT64_MIN, INT64_MAX);
  EXPECT_TRUE(selected.ok()) << selected.status();
  std::vector<std::string> lines;
  if (!selected.ok()) return lines;
  for (const StreamSelection& stream : *selected) {
    for (auto it = stream.NewIterator(INT64_MIN, INT64_MAX, store::Direction::kForward); it.Valid();
         it.Next()) {
      lines.emplace_back(it.line());
    }
  }
  return lines;
}

// Partition directories are named to the minute, so two sub-minute partitions would share a
// directory, and two chunks frozen from one WAL record would share a name (chunk-<wal_seq_hi>):
// the second rename replaced the first and an acknowledged entry was gone after the checkpoint.
// Such partition lengths are refused; minute partitions keep every entry.
TEST(EngineRestartTest, SubMinutePartitionsAreRefused) {
  testing::TempDir dir;
  fs::PosixFileSystem posix;
  time::FakeClock clock;
  EngineOptions options = Options(&posix, &clock, dir.Path("data"));
  options.head.partition_ns = kSecondNs;
  auto opened = StorageEngine::Open(options);
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(opened.status().message().find("whole number of minutes"), std::string::npos)
      << opened.status();
}

TEST(EngineRestartTest, MinutePartitionsFrozenFromOneRecordKeepEveryEntry) {
  testing::TempDir dir;
  fs::PosixFileSystem posix;
  time::FakeClock clock;
  EngineOptions options = Options(&posix, &clock, dir.Path("data"));
  options.head.partition_ns = 60 * kSecondNs;
  auto opened = StorageEngine::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<StorageEngine> engine = std::move(*opened);
  PushRequest request;
  request.tenant = "t";
  request.streams.push_back(
      {labels::LabelSet::Of({{"job", "a"}}),
       {{kT0 + 1, "first minute", {}}, {kT0 + 60 * kSecondNs + 1, "next minute", {}}}});
  ASSERT_TRUE(engine->PushSync(std::move(request)).ok());
  ASSERT_TRUE(engine->Flush(StorageEngine::FlushScope::kAll).ok());
  EXPECT_EQ(engine->catalog().chunk_count(), 2u);
  EXPECT_EQ(Read(*engine, "a"), (std::vector<std::string>{"first minute", "next minute"}));
  ASSERT_TRUE(engine->Close().ok());
  engine.reset();
  opened = StorageEngine::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(Read(**opened, "a"), (std::vector<std::string>{"first minute", "next minute"}));
}

// A chunk file that could not be opened at startup because of an I/O error (not damage) used to
// be left out of the catalog while Open succeeded: its WAL records were replayed into the head
// and flushed again, so the entry was stored twice from the next start on. For every n, failing
// the n-th open(2) of the restart must either fail the restart or change nothing.
TEST(EngineRestartTest, TransientOpenErrorAtStartupStoresNothingTwice) {
  for (uint64_t n = 1; n <= 12; ++n) {
    SCOPED_TRACE("open #" + std::to_string(n) + " of the restart fails");
    testing::TempDir dir;
    fs::PosixFileSystem posix;
    fs::FaultInjectionFileSystem faults(&posix);
    time::FakeClock clock;
    const EngineOptions options = Options(&faults, &clock, dir.Path("data"));
    {
      auto opened = StorageEngine::Open(options);
      ASSERT_TRUE(opened.ok()) << opened.status();
      // A far-future partition stays live and holds the checkpoint back, so the record of the
      // flushed (complete) partition stays in the WAL.
      ASSERT_TRUE(Push(**opened, "b", kT0 + 5 * kHourNs, "far").ok());
      ASSERT_TRUE(Push(**opened, "a", kT0 + 1, "in a chunk").ok());
      ASSERT_TRUE((*opened)->Flush(StorageEngine::FlushScope::kDue).ok());
      ASSERT_EQ((*opened)->catalog().chunk_count(), 1u);
      ASSERT_TRUE((*opened)->Close().ok());
    }
    faults.FailNth(fs::Op::kOpen, n);
    auto opened = StorageEngine::Open(options);
    faults.ClearFaults();
    if (!opened.ok()) continue;  // refusing to start on an I/O error is fine
    EXPECT_EQ(Read(**opened, "a"), (std::vector<std::string>{"in a chunk"}));
    ASSERT_TRUE(Push(**opened, "a", kT0 + 2, "late").ok());
    ASSERT_TRUE((*opened)->Flush(StorageEngine::FlushScope::kAll).ok());
    ASSERT_TRUE((*opened)->Close().ok());
    opened->reset();
    auto again = StorageEngine::Open(options);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(Read(**again, "a"), (std::vector<std::string>{"in a chunk", "late"}));
  }
}

}  // namespace
}  // namespace silt::engine
