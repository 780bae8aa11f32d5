#include "agent/app/tail_driver.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <uv.h>

#include <memory>
#include <string>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/sink/null_sink.h"
#include "agent/tailer/source_id_generator.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/memory_sink.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/agent/discovery/discovery_test_util.h"

namespace silt::agent {
namespace {

class TailDriverTest : public ::testing::Test {
 protected:
  TailDriverTest()
      : logger_(log::LoggerOptions{log::Level::kDebug, &log_sink_, nullptr}),
        store_(&fs_, dir_.Path("positions")),
        ids_(1),
        sink_(&store_) {
    uv_loop_init(&loop_);
    TailerSet::Options options;
    options.rotate_wait_ns = 0;
    tailers_ = std::make_unique<TailerSet>(&fs_, &store_, &ids_, &sink_, options);
  }
  ~TailDriverTest() override {
    if (driver_ != nullptr) driver_->Close();
    EXPECT_TRUE(testing::CloseLoop(&loop_));
  }

  void Make(TailDriver::Options options) {
    driver_ = std::make_unique<TailDriver>(&loop_, tailers_.get(), &clock_, &logger_, options,
                                           [this] { ++after_calls_; });
    driver_->Start();
  }
  uint64_t Entries() const { return sink_.stats().entries; }
  bool Saved(uint64_t offset) {
    Result<std::string> text = fs_.ReadFileToString(dir_.Path("positions"));
    return text.ok() && text->find(" " + std::to_string(offset) + " ") != std::string::npos;
  }

  uv_loop_t loop_;
  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::SystemClock clock_;
  log::MemorySink log_sink_;
  log::Logger logger_;
  PositionsStore store_;
  SeededSourceIdGenerator ids_;
  NullSink sink_;
  std::unique_ptr<TailerSet> tailers_;
  std::unique_ptr<TailDriver> driver_;
  int after_calls_ = 0;
};

TEST_F(TailDriverTest, RescanIsReadAndSavedAtOnce) {
  testing::WriteFile(dir_.Path("a.log"), "one\ntwo\n");
  Make({});
  driver_->OnRescan({dir_.Path("a.log")});
  EXPECT_TRUE(fs_.FileExists(dir_.Path("positions")));  // saved right after the first rescan
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 2; }));
  EXPECT_GT(after_calls_, 0);
}

TEST_F(TailDriverTest, ChangedPathsAreReadAfterTheLinger) {
  testing::WriteFile(dir_.Path("a.log"), "one\n");
  TailDriver::Options options;
  options.linger_ns = 20'000'000;
  Make(options);
  driver_->OnRescan({dir_.Path("a.log")});
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 1; }));
  testing::WriteFile(dir_.Path("a.log"), "two\nthree\n");
  driver_->OnPathsChanged({dir_.Path("a.log")});
  EXPECT_EQ(Entries(), 1u);  // not read inside the call: the linger timer reads
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 3; }));
}

TEST_F(TailDriverTest, FullBatchesArePolledAgainUntilDrained) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "line " + std::to_string(i) + "\n";
  testing::WriteFile(dir_.Path("a.log"), text);
  TailerSet::Options options;
  options.batch.max_lines = 10;
  options.read_chunk_size = 4096;  // a batch is full after each read of ~370 lines
  tailers_ = std::make_unique<TailerSet>(&fs_, &store_, &ids_, &sink_, options);
  Make({});
  driver_->OnRescan({dir_.Path("a.log")});
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 1000; }));
  EXPECT_GE(sink_.stats().batches, 3u);
}

TEST_F(TailDriverTest, SaveTimerWritesConfirmedPositions) {
  testing::WriteFile(dir_.Path("a.log"), "one\n");
  TailDriver::Options options;
  options.save_interval_ns = 10'000'000;
  Make(options);
  driver_->OnRescan({dir_.Path("a.log")});
  testing::WriteFile(dir_.Path("a.log"), "two\n");
  driver_->OnPathsChanged({dir_.Path("a.log")});
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Saved(8); }));
}

TEST_F(TailDriverTest, EveryPositionsSaveFirstLetsTheOutputSync) {
  testing::WriteFile(dir_.Path("a.log"), "one\n");
  int syncs = 0;
  bool saved_before_first_sync = false;
  TailDriver::Options options;
  options.save_interval_ns = 10'000'000;
  options.before_save = [&] {
    if (syncs++ == 0) saved_before_first_sync = fs_.FileExists(dir_.Path("positions"));
  };
  Make(options);
  driver_->OnRescan({dir_.Path("a.log")});  // a new source: saved at once
  EXPECT_GE(syncs, 1);
  EXPECT_TRUE(fs_.FileExists(dir_.Path("positions")));
  EXPECT_FALSE(saved_before_first_sync);  // the output syncs before the file is written
  const int after_rescan = syncs;
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return syncs >= after_rescan + 2; }));  // the timer
  const int before_call = syncs;
  ASSERT_TRUE(driver_->SavePositions().ok());  // and the final save at shutdown
  EXPECT_EQ(syncs, before_call + 1);
}

TEST_F(TailDriverTest, TruncatedFileReadAgainAsANewSourceIsSavedAtOnce) {
  // The new source id must be in the positions file before the agent can die: a restarted agent
  // that does not know it reads the bytes again under another id, and they are stored twice.
  testing::WriteFile(dir_.Path("a.log"), "one\ntwo\n");
  TailDriver::Options options;
  options.save_interval_ns = int64_t{3600} * 1'000'000'000;  // only the immediate save counts
  Make(options);
  driver_->OnRescan({dir_.Path("a.log")});
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 2; }));
  Result<std::string> before = fs_.ReadFileToString(dir_.Path("positions"));
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_EQ(::truncate(dir_.Path("a.log").c_str(), 0), 0);  // as copytruncate does
  testing::WriteFile(dir_.Path("a.log"), "x\n");            // appends
  driver_->OnPathsChanged({dir_.Path("a.log")});
  ASSERT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 3; }));
  Result<std::string> after = fs_.ReadFileToString(dir_.Path("positions"));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_NE(*after, *before) << "the new source was not saved before the save timer";
}

TEST_F(TailDriverTest, PausedDriverDoesNotRead) {
  testing::WriteFile(dir_.Path("a.log"), "one\n");
  Make({});
  driver_->SetPaused(true);
  driver_->OnRescan({dir_.Path("a.log")});
  testing::RunUntil(
      &loop_, [] { return false; }, 100);
  EXPECT_EQ(Entries(), 0u);
  driver_->SetPaused(false);
  EXPECT_TRUE(testing::RunUntil(&loop_, [&] { return Entries() == 1; }));
}

TEST_F(TailDriverTest, FailedSaveIsLoggedOnceAndCounted) {
  testing::WriteFile(dir_.Path("a.log"), "one\n");
  PositionsStore bad_store(&fs_, dir_.Path("missing-dir/positions"));
  tailers_ = std::make_unique<TailerSet>(&fs_, &bad_store, &ids_, &sink_, TailerSet::Options{});
  Make({});
  driver_->OnRescan({dir_.Path("a.log")});
  EXPECT_FALSE(driver_->SavePositions().ok());
  EXPECT_EQ(driver_->save_errors(), 2u);
  const std::string text = log_sink_.Text();
  EXPECT_NE(text.find("level=error component=agent msg=\"cannot save positions; retrying\""),
            std::string::npos)
      << text;
  EXPECT_EQ(log_sink_.Lines().size(), 1u);
}

}  // namespace
}  // namespace silt::agent
