// Fault tests of the whole WAL life cycle: for one kind of file system call, fail its Nth call
// for N = 1, 2, ... until the scenario runs to its end without reaching an Nth call. For every N
// the failure must be reported, and after a power loss (DropUnsyncedData) recovery must succeed
// and return every acknowledged record exactly once, in order, with no gap.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "aggregator/wal/open_wal.h"
#include "aggregator/wal/wal_format.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/fast_sync_file_system.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;

constexpr uint64_t kSetupRecords = 5;
constexpr uint64_t kAppends = 50;
constexpr uint64_t kCheckpointAfter = 25;

struct Outcome {
  bool reported = false;                  // some call returned or delivered an error
  std::map<uint64_t, std::string> acked;  // sequence -> payload, acknowledged as durable
  uint64_t checkpoint_ok = 0;             // checkpoint written with an OK status
  uint64_t checkpoint_tried = 0;
};

// A WAL directory with records 1..kSetupRecords and a torn record at the end of its newest
// segment, so that the scenario's recovery has a tail to repair. Written around the faults.
void Setup(fs::FileSystem* fs, const std::string& dir) {
  WalOptions options = test::TestOptions(fs, dir);
  Result<OpenedWal> opened = OpenWal(options, ReplayHandler{});
  ASSERT_TRUE(opened.ok()) << opened.status();
  for (uint64_t i = 1; i <= kSetupRecords; ++i) {
    ASSERT_TRUE(opened->writer->AppendSync(0, test::Payload(i)).ok());
  }
  ASSERT_TRUE(opened->writer->Close().ok());
  std::string path = dir + "/" + SegmentFileName(1);
  test::WriteRaw(path, test::ReadRaw(path) + "torn record");
}

// Open (recovering), 50 appends rolling through several segments, a checkpoint with segment
// deletion after 25 of them, and a clean close.
Outcome RunScenario(const WalOptions& options) {
  Outcome out;
  Result<OpenedWal> opened = OpenWal(options, ReplayHandler{});
  if (!opened.ok()) {
    out.reported = true;
    return out;
  }
  WalWriter& writer = *opened->writer;
  for (uint64_t i = 1; i <= kAppends; ++i) {
    std::string payload = test::Payload(100 + i);
    Result<uint64_t> seq = writer.AppendSync(0, payload);
    if (seq.ok()) {
      out.acked[*seq] = payload;
    } else {
      out.reported = true;
    }
    if (i != kCheckpointAfter || writer.last_durable_sequence() == 0) continue;
    out.checkpoint_tried = writer.last_durable_sequence() - 2;
    Status status = writer.WriteCheckpoint(out.checkpoint_tried,
                                           "state-" + std::to_string(out.checkpoint_tried));
    if (status.ok()) out.checkpoint_ok = out.checkpoint_tried;
    if (status.ok()) status = writer.DeleteSegmentsCoveredBy(out.checkpoint_tried);
    if (!status.ok()) out.reported = true;
  }
  if (!writer.Close().ok()) out.reported = true;
  return out;
}

// After the power loss: recovery succeeds and holds every acknowledged record once, in order.
void VerifyRecovery(const WalOptions& options, const Outcome& out) {
  std::vector<test::ReplayedRecord> records;
  ReplayHandler handler;
  handler.on_record = [&](const WalRecord& r) {
    records.push_back({r.sequence, r.type, std::string(r.payload)});
    return Status::Ok();
  };
  Result<OpenedWal> opened = OpenWal(options, handler);
  ASSERT_TRUE(opened.ok()) << opened.status();
  const RecoveryReport& report = opened->report;
  uint64_t checkpoint = opened->checkpoint.checkpoint.sequence;
  if (out.checkpoint_ok != 0) {
    EXPECT_EQ(checkpoint, out.checkpoint_ok);
  }
  EXPECT_TRUE(checkpoint == 0 || checkpoint == out.checkpoint_tried) << checkpoint;
  for (size_t k = 0; k < kProblemKindCount; ++k) {
    auto kind = static_cast<ProblemKind>(k);
    if (kind == ProblemKind::kTornTail || kind == ProblemKind::kZeroTail) continue;
    EXPECT_EQ(report.Count(kind), 0u) << report.Summary();
  }
  std::set<std::string> payloads;
  for (size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].sequence, checkpoint + 1 + i) << "records must be dense after the "
                                                          "checkpoint";
    EXPECT_TRUE(payloads.insert(records[i].payload).second) << "duplicate " << records[i];
  }
  for (const auto& [seq, payload] : out.acked) {
    if (seq <= checkpoint) continue;
    ASSERT_LT(seq - checkpoint - 1, records.size()) << "acknowledged record " << seq << " lost";
    EXPECT_EQ(records[seq - checkpoint - 1].payload, payload) << "record " << seq;
  }
  // And the restarted WAL takes writes again.
  EXPECT_TRUE(opened->writer->AppendSync(0, "after restart").ok());
}

void FailEveryNth(fs::Op op) {
  for (uint64_t n = 1;; ++n) {
    SCOPED_TRACE("failing " + std::string(fs::OpName(op)) + " call " + std::to_string(n));
    TempDir dir;
    fs::PosixFileSystem posix;
    test::FastSyncFileSystem fast(&posix);
    std::string wal_dir = dir.Path("wal");
    Setup(&fast, wal_dir);
    if (::testing::Test::HasFatalFailure()) return;
    fs::FaultInjectionFileSystem faults(&fast);
    WalOptions options = test::TestOptions(&faults, wal_dir);
    options.max_segment_bytes = 400;  // a roll every six records
    uint64_t calls_before = faults.CallCount(op);
    faults.FailNth(op, n);
    Outcome out = RunScenario(options);
    bool fired = faults.CallCount(op) - calls_before >= n;
    EXPECT_EQ(out.reported, fired);
    ASSERT_TRUE(faults.DropUnsyncedData().ok());
    faults.ClearFaults();
    VerifyRecovery(options, out);
    if (!fired) {
      EXPECT_EQ(out.acked.size(), kAppends);
      return;
    }
    if (::testing::Test::HasFailure()) return;
  }
}

TEST(WalFaultTest, FailNthWrite) { FailEveryNth(fs::Op::kWrite); }
TEST(WalFaultTest, FailNthSync) { FailEveryNth(fs::Op::kSync); }
TEST(WalFaultTest, FailNthSyncDir) { FailEveryNth(fs::Op::kSyncDir); }
TEST(WalFaultTest, FailNthRename) { FailEveryNth(fs::Op::kRename); }
TEST(WalFaultTest, FailNthOpen) { FailEveryNth(fs::Op::kOpen); }
TEST(WalFaultTest, FailNthClose) { FailEveryNth(fs::Op::kClose); }
TEST(WalFaultTest, FailNthDelete) { FailEveryNth(fs::Op::kDelete); }
TEST(WalFaultTest, FailNthTruncate) { FailEveryNth(fs::Op::kTruncate); }
TEST(WalFaultTest, FailNthRead) { FailEveryNth(fs::Op::kRead); }
TEST(WalFaultTest, FailNthListDir) { FailEveryNth(fs::Op::kListDir); }
TEST(WalFaultTest, FailNthStat) { FailEveryNth(fs::Op::kStat); }
TEST(WalFaultTest, FailNthCreateDir) { FailEveryNth(fs::Op::kCreateDir); }
TEST(WalFaultTest, FailNthLock) { FailEveryNth(fs::Op::kLock); }

TEST(WalFaultTest, NoSpaceAtEveryByteOfTheScenario) {
  // ENOSPC after 0, 1, 2, ... bytes: every append that runs out of space is refused with
  // ResourceExhausted and leaves nothing behind; the WAL never stops.
  for (uint64_t budget = 0; budget <= 1400; budget += 7) {
    SCOPED_TRACE("free space " + std::to_string(budget));
    TempDir dir;
    fs::PosixFileSystem posix;
    test::FastSyncFileSystem fast(&posix);
    fs::FaultInjectionFileSystem faults(&fast);
    WalOptions options = test::TestOptions(&faults, dir.Path("wal"));
    options.max_segment_bytes = 400;
    Outcome out;
    {
      Result<OpenedWal> opened = OpenWal(options, ReplayHandler{});
      ASSERT_TRUE(opened.ok()) << opened.status();
      faults.SetFreeSpace(budget);
      for (uint64_t i = 1; i <= 30; ++i) {
        Result<uint64_t> seq = opened->writer->AppendSync(0, test::Payload(i));
        if (seq.ok()) {
          out.acked[*seq] = test::Payload(i);
        } else {
          ASSERT_EQ(seq.status().code(), StatusCode::kResourceExhausted) << seq.status();
        }
      }
      EXPECT_FALSE(opened->writer->Failed());
      faults.ClearFaults();
      Result<uint64_t> after = opened->writer->AppendSync(0, "after");
      ASSERT_TRUE(after.ok()) << after.status();
      EXPECT_EQ(*after, out.acked.size() + 1);  // refused appends used no sequence numbers
      out.acked[*after] = "after";
    }
    ASSERT_TRUE(faults.DropUnsyncedData().ok());
    VerifyRecovery(options, out);
    if (::testing::Test::HasFailure()) return;
  }
}

}  // namespace
}  // namespace silt::wal
