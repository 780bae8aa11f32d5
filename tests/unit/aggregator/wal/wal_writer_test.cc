#include "aggregator/wal/wal_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/wal/open_wal.h"
#include "aggregator/wal/wal_format.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/page_cache.h"
#include "tests/support/temp_dir.h"
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

class WalWriterTest : public ::testing::Test {
 protected:
  WalWriterTest() : options_(test::TestOptions(&posix_, dir_.Path("wal"))) {}

  std::unique_ptr<WalWriter> Open(Recovered* recovered = nullptr) {
    return test::OpenForTest(options_, recovered);
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;
  WalOptions options_;
};

TEST_F(WalWriterTest, RoundTrip) {
  auto writer = Open();
  ASSERT_TRUE(writer);
  AppendRange(*writer, 1, 50);
  AppendRange(*writer, 51, 60, 70000);
  EXPECT_EQ(writer->last_durable_sequence(), 60u);
  ASSERT_TRUE(writer->Close().ok());
  writer.reset();
  Recovered r;
  writer = Open(&r);
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 50);
  for (const ReplayedRecord& rec : ExpectedRecords(51, 60, 70000)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
  EXPECT_EQ(r.report.next_sequence, 61u);
}

TEST_F(WalWriterTest, EmptyPayloadRoundTrips) {
  auto writer = Open();
  ASSERT_TRUE(writer->AppendSync(200, "").ok());
  writer.reset();
  Recovered r;
  writer = Open(&r);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0], (ReplayedRecord{1, 200, ""}));
}

// The worked example of docs/formats/wal.md: keep the two in step.
TEST_F(WalWriterTest, GoldenBytesOfATwoRecordSegment) {
  auto writer = Open();
  ASSERT_TRUE(writer->AppendSync(1, "hello").ok());
  ASSERT_TRUE(writer->AppendSync(2, "world!").ok());
  ASSERT_TRUE(writer->Close().ok());
  // clang-format off
  const std::string expected_hex =
      // segment header: magic, version 1, reserved, first sequence 1, created 1.7e18 ns,
      // reserved, check
      "574c4f47" "01" "000000" "0100000000000000" "00002a36fe9c9717" "00000000" "54cd980c"
      // record 1: length 5, type 1, reserved, sequence 1, XXH3("hello"), reserved, check, payload
      "05000000" "01" "000000" "0100000000000000" "fddc625c55e85595" "00000000" "2e3d173a"
      "68656c6c6f"
      // record 2: length 6, type 2, reserved, sequence 2, XXH3("world!"), reserved, check, payload
      "06000000" "02" "000000" "0200000000000000" "2551309def3cc2af" "00000000" "05e6f33a"
      "776f726c6421";
  // clang-format on
  std::string bytes = ReadRaw(options_.dir + "/" + SegmentFileName(1));
  std::string hex;
  for (unsigned char c : bytes) {
    static const char* kDigits = "0123456789abcdef";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  EXPECT_EQ(hex, expected_hex);
}

// The torn-tail example of docs/formats/wal.md: record 2 cut after 35 of its 38 bytes.
TEST_F(WalWriterTest, GroupCommitFromManyThreads) {
  auto writer = Open();
  constexpr int kThreads = 8;
  constexpr int kPerThread = 150;
  std::mutex mu;
  std::vector<std::string> payload_of(kThreads * kPerThread + 1);
  std::vector<int> calls(kThreads * kPerThread, 0);
  std::atomic<int> failures{0};
  Completions done;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        int id = t * kPerThread + i;
        std::string payload = "t" + std::to_string(t) + "-i" + std::to_string(i);
        AppendCallback record = [&, id, payload](const Status& status, uint64_t seq) {
          if (!status.ok() || seq == 0 || seq > payload_of.size() - 1) {
            ++failures;
          } else {
            std::lock_guard lock(mu);
            ++calls[id];
            if (!payload_of[seq].empty()) ++failures;  // a sequence number handed out twice
            payload_of[seq] = payload;
          }
        };
        AppendCallback count = done.Callback();
        Status status = writer->Append(static_cast<uint8_t>(t), payload,
                                       [record, count](const Status& s, uint64_t seq) {
                                         record(s, seq);
                                         count(s, seq);
                                       });
        if (!status.ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  done.WaitFor(kThreads * kPerThread);
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(failures.load(), 0);
  for (int c : calls) EXPECT_EQ(c, 1);
  EXPECT_LE(writer->stats().group_commits.load(), uint64_t{kThreads * kPerThread});
  EXPECT_EQ(writer->stats().records_appended.load(), uint64_t{kThreads * kPerThread});
  writer.reset();

  Recovered r;
  writer = Open(&r);
  ASSERT_EQ(r.records.size(), size_t{kThreads * kPerThread});
  for (size_t i = 0; i < r.records.size(); ++i) {
    EXPECT_EQ(r.records[i].sequence, i + 1);  // dense and in order
    EXPECT_EQ(r.records[i].payload, payload_of[i + 1]);
  }
}

TEST_F(WalWriterTest, CallbacksRunInSequenceOrder) {
  auto writer = Open();
  Gate gate;
  std::vector<uint64_t> order;
  Completions done;
  AppendCallback first = [&](const Status&, uint64_t seq) {
    gate.Wait();
    order.push_back(seq);
  };
  ASSERT_TRUE(writer->Append(0, "first", first).ok());
  for (int i = 0; i < 20; ++i) {
    AppendCallback count = done.Callback();
    AppendCallback record = [&order, count](const Status& s, uint64_t seq) {
      order.push_back(seq);
      count(s, seq);
    };
    ASSERT_TRUE(writer->Append(0, "x", record).ok());
  }
  gate.Open();
  done.WaitFor(20);
  ASSERT_TRUE(writer->Close().ok());
  ASSERT_EQ(order.size(), 21u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i + 1);
}

TEST_F(WalWriterTest, SegmentRollsBeforeExceedingTheMaximum) {
  options_.max_segment_bytes = 300;  // header 32 + four records of 32 + 24 = 256
  auto writer = Open();
  AppendRange(*writer, 1, 10);
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(SegmentNames(options_.dir),
            (std::vector<std::string>{SegmentFileName(1), SegmentFileName(5), SegmentFileName(9)}));
  for (const std::string& name : SegmentNames(options_.dir)) {
    EXPECT_LE(ReadRaw(options_.dir + "/" + name).size(), 300u) << name;
  }
  EXPECT_EQ(writer->stats().segments_created.load(), 3u);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 10));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

TEST_F(WalWriterTest, OneBatchSpanningSegmentsIsSplitAtRecordBoundaries) {
  options_.max_segment_bytes = 300;
  auto writer = Open();
  Gate gate;
  Completions done;
  test::HoldWriter(*writer, gate, Payload(1));
  for (uint64_t seq = 2; seq <= 12; ++seq) {  // queued behind the held writer: one batch
    ASSERT_TRUE(writer->Append(static_cast<uint8_t>(seq % 7), Payload(seq), done.Callback()).ok());
  }
  gate.Open();
  for (const auto& [status, seq] : done.WaitFor(11)) EXPECT_TRUE(status.ok()) << status;
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(SegmentNames(options_.dir),
            (std::vector<std::string>{SegmentFileName(1), SegmentFileName(5), SegmentFileName(9)}));
  for (const std::string& name : SegmentNames(options_.dir)) {
    EXPECT_LE(ReadRaw(options_.dir + "/" + name).size(), 300u) << name;
  }
  // Two group commits: the held record, then 2..12 in one batch with one fdatasync per segment.
  EXPECT_EQ(writer->stats().group_commits.load(), 2u);
  EXPECT_EQ(writer->stats().syncs.load(), 4u);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 12);
  expected[0].type = 0;  // HoldWriter's record
  EXPECT_EQ(r.records, expected);
}

TEST_F(WalWriterTest, RecordLargerThanASegmentGetsASegmentOfItsOwn) {
  options_.max_segment_bytes = 300;
  auto writer = Open();
  AppendRange(*writer, 1, 1);
  AppendRange(*writer, 2, 2, 1000);
  AppendRange(*writer, 3, 3);
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(SegmentNames(options_.dir),
            (std::vector<std::string>{SegmentFileName(1), SegmentFileName(2), SegmentFileName(3)}));
}

TEST_F(WalWriterTest, PayloadOverTheLimitIsRejected) {
  options_.max_payload_bytes = 100;
  auto writer = Open();
  bool called = false;
  Status status =
      writer->Append(0, std::string(101, 'x'), [&](const Status&, uint64_t) { called = true; });
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(writer->AppendSync(0, std::string(100, 'x')).ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_FALSE(called);
}

TEST_F(WalWriterTest, FullQueueIsResourceExhausted) {
  options_.max_queue_bytes = 4 * (kRecordHeaderSize + 100);
  auto writer = Open();
  Gate gate;
  Completions done;
  test::HoldWriter(*writer, gate, std::string(100, 'a'));  // later records stay queued
  int accepted = 0;
  Status refused;
  for (int i = 0; i < 10 && refused.ok(); ++i) {
    refused = writer->Append(0, std::string(100, 'b'), done.Callback());
    if (refused.ok()) ++accepted;
  }
  EXPECT_EQ(refused.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(Contains(refused.message(), "queue is full")) << refused;
  EXPECT_EQ(accepted, 4);
  EXPECT_EQ(writer->stats().rejected_queue_full.load(), 1u);
  EXPECT_EQ(writer->stats().queued_bytes.load(), 4 * (kRecordHeaderSize + 100));
  gate.Open();
  for (const auto& [status, seq] : done.WaitFor(4)) EXPECT_TRUE(status.ok()) << status;
  // Acknowledged records have left the queue by the time their callbacks run.
  EXPECT_TRUE(writer->AppendSync(0, "after").ok());
  EXPECT_FALSE(writer->Failed());
}

// Only recovery reads segments back: their synced bytes leave the page cache.
TEST_F(WalWriterTest, SyncedSegmentsLeaveThePageCache) {
  struct statfs fs_info {};
  ASSERT_EQ(::statfs(dir_.Path("").c_str(), &fs_info), 0);
  if (fs_info.f_type == TMPFS_MAGIC) GTEST_SKIP() << "tmpfs pages are the files themselves";
  auto writer = Open();
  AppendRange(*writer, 1, 8, 128 << 10);  // 1 MiB in 8 group commits
  ASSERT_TRUE(writer->Close().ok());
  const std::string path = options_.dir + "/" + SegmentFileName(1);
  EXPECT_LT(silt::testing::ResidentPages(path), 16u);  // of 257
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 8, 128 << 10));
}

TEST_F(WalWriterTest, CloseDrainsTheQueue) {
  auto writer = Open();
  Completions done;
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(writer->Append(0, "x", done.Callback()).ok());
  ASSERT_TRUE(writer->Close().ok());
  std::vector<std::pair<Status, uint64_t>> results = done.WaitFor(200);
  ASSERT_EQ(results.size(), 200u);
  for (const auto& [status, seq] : results) EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(writer->last_durable_sequence(), 200u);
}

TEST_F(WalWriterTest, AppendAfterCloseIsUnavailable) {
  auto writer = Open();
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(writer->Append(0, "x", nullptr).code(), StatusCode::kUnavailable);
  EXPECT_EQ(writer->AppendSync(0, "x").status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(writer->Close().ok());
}

TEST_F(WalWriterTest, CheckpointOnlyMovesForwardAndOnlyOverDurableRecords) {
  auto writer = Open();
  AppendRange(*writer, 1, 5);
  EXPECT_EQ(writer->WriteCheckpoint(6, "").code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->WriteCheckpoint(3, "").ok());
  EXPECT_EQ(writer->WriteCheckpoint(2, "").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(writer->WriteCheckpoint(3, "new state").ok());
  EXPECT_EQ(writer->stats().checkpoints_written.load(), 2u);
}

TEST_F(WalWriterTest, DeleteSegmentsCoveredByKeepsEverythingNotCovered) {
  options_.max_segment_bytes = 300;  // four records per segment: 1-4, 5-8, 9-12, 13-14
  auto writer = Open();
  AppendRange(*writer, 1, 14);
  EXPECT_EQ(writer->DeleteSegmentsCoveredBy(8).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->WriteCheckpoint(8, "").ok());
  ASSERT_TRUE(writer->DeleteSegmentsCoveredBy(7).ok());  // 5-8 still holds 8
  EXPECT_EQ(SegmentNames(options_.dir).front(), SegmentFileName(5));
  ASSERT_TRUE(writer->DeleteSegmentsCoveredBy(8).ok());
  EXPECT_EQ(SegmentNames(options_.dir),
            (std::vector<std::string>{SegmentFileName(9), SegmentFileName(13)}));
  ASSERT_TRUE(writer->WriteCheckpoint(14, "").ok());
  ASSERT_TRUE(writer->DeleteSegmentsCoveredBy(14).ok());  // 13-14 is active: kept
  EXPECT_EQ(SegmentNames(options_.dir), std::vector<std::string>{SegmentFileName(13)});
  EXPECT_EQ(writer->stats().segments_deleted.load(), 3u);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
  EXPECT_EQ(r.report.next_sequence, 15u);
  AppendRange(*writer, 15, 15);
}

}  // namespace
}  // namespace silt::wal
