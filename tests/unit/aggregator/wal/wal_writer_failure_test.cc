// Failures of the WAL writer: a failed write or fdatasync stops the WAL loudly; a full disk is
// backpressure that leaves nothing behind.
#include "aggregator/wal/wal_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
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
using test::AppendRange;
using test::Completions;
using test::Contains;
using test::ExpectedRecords;
using test::Gate;
using test::Payload;
using test::ReadRaw;
using test::Recovered;
using test::ReplayedRecord;
using test::SegmentNames;

class WalWriterFailureTest : public ::testing::Test {
 protected:
  WalWriterFailureTest() : fast_(&posix_), faults_(&fast_) {
    options_ = test::TestOptions(&faults_, dir_.Path("wal"));
  }

  std::unique_ptr<WalWriter> Open(Recovered* recovered = nullptr) {
    return test::OpenForTest(options_, recovered);
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;

  test::FastSyncFileSystem fast_;
  fs::FaultInjectionFileSystem faults_;
  WalOptions options_;
};

TEST_F(WalWriterFailureTest, FailedSyncStopsTheWal) {
  std::vector<Status> fatal_calls;
  options_.on_fatal = [&](const Status& s) { fatal_calls.push_back(s); };
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  faults_.FailNth(fs::Op::kSync, 1);
  Result<uint64_t> failed = writer->AppendSync(0, "lost");
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIOError);
  EXPECT_TRUE(Contains(failed.status().message(), "stopped accepting writes")) << failed.status();
  EXPECT_TRUE(Contains(failed.status().message(), "fdatasync of " + options_.dir))
      << failed.status();
  EXPECT_TRUE(writer->Failed());
  EXPECT_EQ(writer->status(), failed.status());
  Status later = writer->Append(0, "later", nullptr);
  EXPECT_EQ(later, failed.status());  // refused at once, never retried
  EXPECT_EQ(writer->WriteCheckpoint(2, "").code(), StatusCode::kIOError);
  ASSERT_EQ(fatal_calls.size(), 1u);
  EXPECT_EQ(fatal_calls[0], failed.status());
  EXPECT_EQ(writer->stats().stopped.load(), 1u);
  EXPECT_EQ(writer->Close(), failed.status());
  writer.reset();
  ASSERT_TRUE(faults_.DropUnsyncedData().ok());
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 2));
}

TEST_F(WalWriterFailureTest, FailedWriteFailsEveryQueuedAppend) {
  auto writer = Open();
  Gate gate;
  Completions done;
  test::HoldWriter(*writer, gate);  // durable, and the writer thread is held in its callback
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(writer->Append(0, "queued", done.Callback()).ok());
  faults_.FailNth(fs::Op::kWrite, 1);
  gate.Open();
  std::vector<std::pair<Status, uint64_t>> results = done.WaitFor(5);
  for (const auto& [status, seq] : results) {
    EXPECT_EQ(status.code(), StatusCode::kIOError) << status;
    EXPECT_TRUE(Contains(status.message(), "write to")) << status;
    EXPECT_EQ(seq, 0u);
  }
  EXPECT_TRUE(writer->Failed());
  EXPECT_EQ(writer->last_durable_sequence(), 1u);
}

TEST_F(WalWriterFailureTest, NoSpaceIsBackpressureNotFatal) {
  auto writer = Open();
  AppendRange(*writer, 1, 3);
  faults_.SetFreeSpace(kRecordHeaderSize + 10);  // the next record only partly fits
  Result<uint64_t> full = writer->AppendSync(4 % 7, Payload(4));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(full.status().message(), "disk full")) << full.status();
  EXPECT_FALSE(writer->Failed());
  EXPECT_EQ(writer->stats().rejected_no_space.load(), 1u);
  faults_.ClearFaults();
  AppendRange(*writer, 4, 6);  // the failed record did not use up a sequence number
  writer.reset();
  ASSERT_TRUE(faults_.DropUnsyncedData().ok());
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 6));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

// A record queued while a batch is being written that then does not fit (a pipelined agent's
// next batch of the same source) must not become durable after the refusal: it fails too, and
// every refused record's `refused` hook runs before any callback of the refusal.
TEST_F(WalWriterFailureTest, NoSpaceAlsoFailsTheAppendsQueuedBehindIt) {
  auto writer = Open();
  AppendRange(*writer, 1, 3);
  std::vector<std::string> events;  // guarded by the writer's queue lock or its thread
  Completions refused;
  Completions behind;
  AppendCallback on_refused = refused.Callback();
  AppendCallback on_behind = behind.Callback();
  auto hooks = [&](const std::string& name) {
    AppendHooks h;
    h.refused = [&events, name] { events.push_back("refused " + name); };
    return h;
  };
  faults_.RunBeforeNth(fs::Op::kWrite, 1, [&] {  // while the next batch is being written
    ASSERT_TRUE(writer
                    ->Append(
                        0, "behind",
                        [&](const Status& s, uint64_t seq) {
                          events.push_back("done behind");
                          on_behind(s, seq);
                        },
                        hooks("behind"))
                    .ok());
  });
  faults_.SetFreeSpace(kRecordHeaderSize + 10);
  ASSERT_TRUE(writer
                  ->Append(
                      0, Payload(4),
                      [&](const Status& s, uint64_t seq) {
                        events.push_back("done big");
                        faults_.ClearFaults();  // space is back: only the rule fails it
                        on_refused(s, seq);
                      },
                      hooks("big"))
                  .ok());
  EXPECT_EQ(refused.WaitFor(1)[0].first.code(), StatusCode::kResourceExhausted);
  const Status queued = behind.WaitFor(1)[0].first;
  EXPECT_EQ(queued.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(queued.message(), "queued behind")) << queued;
  EXPECT_EQ(events,
            (std::vector<std::string>{"refused big", "refused behind", "done big", "done behind"}));
  EXPECT_FALSE(writer->Failed());
  AppendRange(*writer, 4, 5);  // later appends go on, with no gap in the numbering
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 5));
}

TEST_F(WalWriterFailureTest, RefusedAdmitQueuesNothing) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  bool called = false;
  AppendHooks hooks;
  hooks.admit = [] { return Status::Unavailable("source 5 is held back"); };
  Status refused = writer->Append(
      0, "x", [&](const Status&, uint64_t) { called = true; }, hooks);
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  AppendRange(*writer, 3, 3);
  EXPECT_FALSE(called);
  EXPECT_EQ(writer->last_durable_sequence(), 3u);
}

TEST_F(WalWriterFailureTest, NoSpaceCutsThePartialWriteBackBeforeAPowerLoss) {
  auto writer = Open();
  AppendRange(*writer, 1, 3);
  std::string path = options_.dir + "/" + SegmentFileName(1);
  uint64_t good = ReadRaw(path).size();
  faults_.SetFreeSpace(20);
  EXPECT_EQ(writer->AppendSync(0, Payload(4)).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadRaw(path).size(), good);
  writer.reset();
  ASSERT_TRUE(faults_.DropUnsyncedData().ok());
  faults_.ClearFaults();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

TEST_F(WalWriterFailureTest, NoSpaceWhileCreatingASegmentRemovesIt) {
  options_.max_segment_bytes = 300;
  auto writer = Open();
  AppendRange(*writer, 1, 4);  // segment 1 is full
  faults_.SetFreeSpace(10);    // not even the next segment's header fits
  EXPECT_EQ(writer->AppendSync(0, Payload(5)).status().code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(SegmentNames(options_.dir), std::vector<std::string>{SegmentFileName(1)});
  faults_.ClearFaults();
  AppendRange(*writer, 5, 6);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 6));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

TEST_F(WalWriterFailureTest, FailedTruncationAfterNoSpaceIsFatal) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  faults_.SetFreeSpace(20);
  faults_.FailNth(fs::Op::kTruncate, 1);
  Result<uint64_t> result = writer->AppendSync(0, Payload(3));
  EXPECT_EQ(result.status().code(), StatusCode::kIOError);
  EXPECT_TRUE(Contains(result.status().message(), "truncation of")) << result.status();
  EXPECT_TRUE(writer->Failed());
  writer.reset();
  faults_.ClearFaults();
  ASSERT_TRUE(faults_.DropUnsyncedData().ok());
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 2));
}

}  // namespace
}  // namespace silt::wal
