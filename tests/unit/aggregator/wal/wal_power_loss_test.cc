// Power-loss test: hundreds of cycles of (restart + recovery, appends from two threads with an
// occasional checkpoint, power loss at a random point). The power loss cuts the device
// (FailAllOperations) and then drops every unsynced byte and directory change
// (DropUnsyncedData), either from a separate thread racing the writer or from inside an
// acknowledgement callback, i.e. between two group commits. After each one, recovery must
// succeed and hold every acknowledged record exactly once, in order, with no gap. Fixed seed.
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/wal/open_wal.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/fast_sync_file_system.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;

constexpr int kCycles = 250;
constexpr int kAppenders = 2;

// kAfterCleanClose: the power goes after a clean close (nothing may be lost either).
enum class Crash { kRacingThread, kInsideCallback, kAfterCleanClose };

// What one cycle's threads share: acknowledgements, and the trigger of the power loss.
class Cycle {
 public:
  Cycle(fs::FaultInjectionFileSystem* faults, Crash crash, uint64_t crash_after)
      : faults_(faults), crash_(crash), crash_after_(crash_after) {}

  // Records an acknowledgement; the crash_after-th one cuts the power from inside the callback
  // when that is the crash mode.
  void OnAck(uint64_t seq, const std::string& payload) {
    bool cut = false;
    {
      std::lock_guard lock(mu_);
      acked_[seq] = payload;
      cut = crash_ == Crash::kInsideCallback && acked_.size() == crash_after_;
      cv_.notify_all();
    }
    if (cut) PowerLoss();
  }
  void AppenderDone() {
    std::lock_guard lock(mu_);
    ++appenders_done_;
    cv_.notify_all();
  }
  // Waits until `n` records are acknowledged or every appender gave up.
  void WaitForAcks(uint64_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return acked_.size() >= n || appenders_done_ == kAppenders; });
  }
  void PowerLoss() {
    faults_->FailAllOperations(true);  // from here on the device is gone
    ASSERT_TRUE(faults_->DropUnsyncedData().ok());
  }
  std::map<uint64_t, std::string> acked() {
    std::lock_guard lock(mu_);
    return acked_;
  }

 private:
  fs::FaultInjectionFileSystem* const faults_;
  const Crash crash_;
  const uint64_t crash_after_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::string> acked_;
  int appenders_done_ = 0;
};

// Appends `count` records, each waiting for its acknowledgement, until one fails.
void Appender(WalWriter* writer, Cycle* cycle, const std::string& prefix, int count,
              uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (int i = 0; i < count; ++i) {
    std::string payload = prefix + "-" + std::to_string(i) + "-";
    payload.append(rng() % 120, static_cast<char>('a' + i % 26));
    std::mutex mu;
    std::condition_variable cv;
    bool finished = false;
    bool ok = false;
    Status queued = writer->Append(1, payload, [&](const Status& status, uint64_t seq) {
      if (status.ok()) cycle->OnAck(seq, payload);
      std::lock_guard lock(mu);
      ok = status.ok();
      finished = true;
      cv.notify_one();
    });
    if (!queued.ok()) break;
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return finished; });
    if (!ok) break;
  }
  cycle->AppenderDone();
}

class WalPowerLossTest : public ::testing::Test {
 protected:
  WalPowerLossTest() : fast_(&posix_), faults_(&fast_) {
    options_ = test::TestOptions(&faults_, dir_.Path("wal"));
    options_.max_segment_bytes = 512;
  }

  // Restarts and checks the recovered WAL against what is known durable; returns the writer.
  std::unique_ptr<WalWriter> Restart() {
    std::vector<test::ReplayedRecord> records;
    ReplayHandler handler;
    handler.on_record = [&](const WalRecord& r) {
      records.push_back({r.sequence, r.type, std::string(r.payload)});
      return Status::Ok();
    };
    Result<OpenedWal> opened = OpenWal(options_, handler);
    EXPECT_TRUE(opened.ok()) << opened.status();
    if (!opened.ok()) return nullptr;
    const Checkpoint& checkpoint = opened->checkpoint.checkpoint;
    EXPECT_GE(checkpoint.sequence, confirmed_checkpoint_);
    EXPECT_EQ(checkpoint.state,
              checkpoint.sequence == 0 ? "" : "marks-" + std::to_string(checkpoint.sequence));
    const RecoveryReport& report = opened->report;
    EXPECT_EQ(report.TotalProblems(), report.Count(ProblemKind::kTornTail)) << report.Summary();
    for (size_t i = 0; i < records.size(); ++i) {
      EXPECT_EQ(records[i].sequence, checkpoint.sequence + 1 + i) << "gap or disorder";
      auto [it, fresh] = sequence_of_.try_emplace(records[i].payload, records[i].sequence);
      EXPECT_TRUE(fresh || it->second == records[i].sequence) << "stored twice: " << records[i];
    }
    for (const auto& [seq, payload] : durable_) {
      if (seq <= checkpoint.sequence) continue;
      size_t index = seq - checkpoint.sequence - 1;
      EXPECT_TRUE(index < records.size() && records[index].payload == payload)
          << "acknowledged record " << seq << " (" << payload << ") lost";
    }
    durable_.clear();
    for (const test::ReplayedRecord& r : records) durable_[r.sequence] = r.payload;
    confirmed_checkpoint_ = checkpoint.sequence;
    return std::move(opened->writer);
  }

  void RunCycle(std::mt19937_64& rng, int cycle_number) {
    std::unique_ptr<WalWriter> writer = Restart();
    ASSERT_TRUE(writer) << "restart failed in cycle " << cycle_number;
    int counts[kAppenders];
    uint64_t total = 0;
    for (int& c : counts) total += c = static_cast<int>(rng() % 25);
    Crash crash = static_cast<Crash>(rng() % 3);
    Cycle cycle(&faults_, crash, 1 + rng() % (total + 1));
    std::vector<std::thread> threads;
    for (int t = 0; t < kAppenders; ++t) {
      std::string prefix = "c" + std::to_string(cycle_number) + "t" + std::to_string(t);
      threads.emplace_back(Appender, writer.get(), &cycle, prefix, counts[t], rng());
    }
    if (rng() % 2 == 0) TakeCheckpoint(*writer, cycle, rng);
    if (crash == Crash::kRacingThread) {
      uint64_t after = rng() % (total + 1);
      threads.emplace_back([&cycle, after] {
        cycle.WaitForAcks(after);
        cycle.PowerLoss();
      });
    }
    for (std::thread& t : threads) t.join();
    writer->Close().IgnoreError();  // after a power loss it reports the stop; nothing to check
    writer.reset();
    // A power loss after the clean close (or a second one): nothing acknowledged may depend on
    // data that was not synced.
    ASSERT_TRUE(faults_.DropUnsyncedData().ok());
    faults_.ClearFaults();
    for (const auto& [seq, payload] : cycle.acked()) {
      durable_[seq] = payload;
      auto [it, fresh] = sequence_of_.try_emplace(payload, seq);
      EXPECT_TRUE(fresh || it->second == seq) << "one payload acknowledged twice: " << payload;
    }
  }

  // Checkpoints somewhere between the current checkpoint and the last durable record, as the
  // store does after a flush, then deletes the segments it covers.
  void TakeCheckpoint(WalWriter& writer, Cycle& cycle, std::mt19937_64& rng) {
    cycle.WaitForAcks(rng() % 10);
    uint64_t from = writer.checkpoint_sequence();
    uint64_t to = writer.last_durable_sequence();
    uint64_t seq = from + rng() % (to - from + 1);
    if (seq == 0) return;
    if (!writer.WriteCheckpoint(seq, "marks-" + std::to_string(seq)).ok()) return;
    pending_confirmed_checkpoint_ = seq;                // an OK checkpoint is durable
    writer.DeleteSegmentsCoveredBy(seq).IgnoreError();  // may race the power loss
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;
  test::FastSyncFileSystem fast_;
  fs::FaultInjectionFileSystem faults_;
  WalOptions options_;
  std::map<uint64_t, std::string> durable_;      // sequence -> payload known durable
  std::map<std::string, uint64_t> sequence_of_;  // payload -> the one sequence it was stored at
  uint64_t confirmed_checkpoint_ = 0;
  uint64_t pending_confirmed_checkpoint_ = 0;
};

TEST_F(WalPowerLossTest, AcknowledgedRecordsSurviveRandomPowerLosses) {
  std::mt19937_64 rng(0x5117'0003);
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    SCOPED_TRACE("cycle " + std::to_string(cycle));
    RunCycle(rng, cycle);
    if (HasFailure()) return;
    confirmed_checkpoint_ = std::max(confirmed_checkpoint_, pending_confirmed_checkpoint_);
  }
  std::unique_ptr<WalWriter> writer = Restart();
  ASSERT_TRUE(writer);
  EXPECT_GT(writer->last_durable_sequence(), 500u);  // the cycles did real work
}

}  // namespace
}  // namespace silt::wal
