// WalWriter::AppendInPlace: the payload is written straight into the writer's queue. The bytes
// on disk are those Append writes, the callback sees the durable payload, and every refusal
// queues nothing and never calls the payload writer.
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/wal/open_wal.h"
#include "aggregator/wal/wal_format.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/fast_sync_file_system.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;
using test::AppendRange;
using test::Contains;
using test::ExpectedRecords;
using test::Gate;
using test::Payload;
using test::ReadRaw;
using test::Recovered;
using test::SegmentNames;

// A payload writer that copies `payload` and counts its calls.
struct CopyWriter {
  std::string payload;
  int calls = 0;
  PayloadWriter Writer() {
    return [this](std::span<char> out) {
      ++calls;
      std::memcpy(out.data(), payload.data(), std::min(out.size(), payload.size()));
      return payload.size();
    };
  }
};

// What the PayloadCallbacks got, in order.
class PayloadCompletions {
 public:
  struct Result {
    Status status;
    uint64_t sequence = 0;
    std::string payload;
  };
  PayloadCallback Callback() {
    return [this](const Status& status, uint64_t sequence, std::string_view payload) {
      std::lock_guard lock(mu_);
      results_.push_back({status, sequence, std::string(payload)});
      cv_.notify_all();
    };
  }
  std::vector<Result> WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return results_.size() >= n; });
    return results_;
  }
  size_t count() {
    std::lock_guard lock(mu_);
    return results_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Result> results_;
};

class WalWriterInPlaceTest : public ::testing::Test {
 protected:
  WalWriterInPlaceTest() : fast_(&posix_), faults_(&fast_) {
    options_ = test::TestOptions(&faults_, dir_.Path("wal"));
  }

  std::unique_ptr<WalWriter> Open(Recovered* recovered = nullptr) {
    return test::OpenForTest(options_, recovered);
  }

  // AppendInPlace of `payload` with `type`; waits for the callback and returns what it got.
  PayloadCompletions::Result AppendInPlaceSync(WalWriter& writer, uint8_t type,
                                               const std::string& payload) {
    CopyWriter copy{payload};
    PayloadCompletions done;
    Status queued = writer.AppendInPlace(type, payload.size(), copy.Writer(), done.Callback());
    EXPECT_TRUE(queued.ok()) << queued;
    if (!queued.ok()) return {queued, 0, ""};
    EXPECT_EQ(copy.calls, 1);
    return done.WaitFor(1)[0];
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;
  test::FastSyncFileSystem fast_;
  fs::FaultInjectionFileSystem faults_;
  WalOptions options_;
};

TEST_F(WalWriterInPlaceTest, WritesTheSameBytesAsAppend) {
  auto copied = Open();
  AppendRange(*copied, 1, 20, 300);
  ASSERT_TRUE(copied->Close().ok());
  copied.reset();
  const std::string copied_bytes = ReadRaw(options_.dir + "/" + SegmentFileName(1));

  options_.dir = dir_.Path("in-place");
  auto writer = Open();
  for (uint64_t seq = 1; seq <= 20; ++seq) {
    PayloadCompletions::Result got =
        AppendInPlaceSync(*writer, static_cast<uint8_t>(seq % 7), Payload(seq, 300));
    ASSERT_TRUE(got.status.ok()) << got.status;
    EXPECT_EQ(got.sequence, seq);
  }
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(ReadRaw(options_.dir + "/" + SegmentFileName(1)), copied_bytes);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 20, 300));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

TEST_F(WalWriterInPlaceTest, CallbackSeesTheDurablePayload) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  PayloadCompletions::Result got = AppendInPlaceSync(*writer, 3, Payload(3, 5000));
  ASSERT_TRUE(got.status.ok()) << got.status;
  EXPECT_EQ(got.sequence, 3u);
  EXPECT_EQ(got.payload, Payload(3, 5000));
  EXPECT_EQ(writer->last_durable_sequence(), 3u);
  EXPECT_EQ(writer->stats().payload_bytes_appended.load(), 2 * 24 + 5000u);
}

TEST_F(WalWriterInPlaceTest, MixesWithAppendInQueueOrder) {
  auto writer = Open();
  Gate gate;
  test::HoldWriter(*writer, gate, Payload(1));  // the next records go out as one batch
  PayloadCompletions in_place;
  test::Completions copied;
  std::vector<CopyWriter> writers;
  for (uint64_t seq = 2; seq <= 7; ++seq) writers.push_back(CopyWriter{Payload(seq)});
  for (uint64_t seq = 2; seq <= 7; ++seq) {
    const auto type = static_cast<uint8_t>(seq % 7);
    Status queued = seq % 2 == 0
                        ? writer->AppendInPlace(type, Payload(seq).size(),
                                                writers[seq - 2].Writer(), in_place.Callback())
                        : writer->Append(type, Payload(seq), copied.Callback());
    ASSERT_TRUE(queued.ok()) << queued;
  }
  gate.Open();
  std::vector<PayloadCompletions::Result> got = in_place.WaitFor(3);
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_TRUE(got[i].status.ok()) << got[i].status;
    EXPECT_EQ(got[i].sequence, 2 + 2 * i);
    EXPECT_EQ(got[i].payload, Payload(2 + 2 * i));
  }
  copied.WaitFor(3);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  std::vector<test::ReplayedRecord> expected = ExpectedRecords(1, 7);
  expected[0].type = 0;  // HoldWriter's record
  EXPECT_EQ(r.records, expected);
}

TEST_F(WalWriterInPlaceTest, RecordOverTheLimitIsRefusedBeforeWriting) {
  options_.max_payload_bytes = 100;
  auto writer = Open();
  CopyWriter copy{std::string(101, 'x')};
  PayloadCompletions done;
  Status status = writer->AppendInPlace(0, 101, copy.Writer(), done.Callback());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "max_payload_bytes")) << status;
  EXPECT_EQ(copy.calls, 0);
  EXPECT_TRUE(AppendInPlaceSync(*writer, 0, std::string(100, 'x')).status.ok());
  ASSERT_TRUE(writer->Close().ok());
  EXPECT_EQ(done.count(), 0u);
}

TEST_F(WalWriterInPlaceTest, ClosedWriterIsUnavailable) {
  auto writer = Open();
  ASSERT_TRUE(writer->Close().ok());
  CopyWriter copy{"late"};
  PayloadCompletions done;
  Status status = writer->AppendInPlace(0, 4, copy.Writer(), done.Callback());
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(copy.calls, 0);
  EXPECT_EQ(done.count(), 0u);
}

TEST_F(WalWriterInPlaceTest, StoppedWriterRefusesWithItsError) {
  auto writer = Open();
  AppendRange(*writer, 1, 1);
  faults_.FailNth(fs::Op::kSync, 1);
  PayloadCompletions::Result failed = AppendInPlaceSync(*writer, 0, "lost");
  EXPECT_EQ(failed.status.code(), StatusCode::kIOError) << failed.status;
  EXPECT_EQ(failed.sequence, 0u);
  ASSERT_TRUE(writer->Failed());
  CopyWriter copy{"later"};
  PayloadCompletions done;
  Status later = writer->AppendInPlace(0, 5, copy.Writer(), done.Callback());
  EXPECT_EQ(later, writer->status());
  EXPECT_EQ(copy.calls, 0);
  EXPECT_EQ(done.count(), 0u);
}

TEST_F(WalWriterInPlaceTest, RefusedAdmitHookQueuesNothing) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  AppendHooks hooks;
  hooks.admit = [] { return Status::Unavailable("source 5 is held back"); };
  CopyWriter copy{"x"};
  PayloadCompletions done;
  Status refused = writer->AppendInPlace(0, 1, copy.Writer(), done.Callback(), hooks);
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_EQ(copy.calls, 0);
  AppendRange(*writer, 3, 3);
  EXPECT_EQ(done.count(), 0u);
  EXPECT_EQ(writer->last_durable_sequence(), 3u);
}

TEST_F(WalWriterInPlaceTest, FullQueueIsRefusedBeforeWriting) {
  options_.max_queue_bytes = 2 * (kRecordHeaderSize + 100);
  auto writer = Open();
  Gate gate;
  test::HoldWriter(*writer, gate, std::string(100, 'a'));  // later records stay queued
  CopyWriter first{std::string(100, 'b')};
  CopyWriter second{std::string(100, 'c')};
  CopyWriter third{std::string(100, 'd')};
  PayloadCompletions done;
  ASSERT_TRUE(writer->AppendInPlace(0, 100, first.Writer(), done.Callback()).ok());
  ASSERT_TRUE(writer->AppendInPlace(0, 100, second.Writer(), done.Callback()).ok());
  Status full = writer->AppendInPlace(0, 100, third.Writer(), done.Callback());
  EXPECT_EQ(full.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(third.calls, 0);
  gate.Open();
  for (const auto& result : done.WaitFor(2)) EXPECT_TRUE(result.status.ok()) << result.status;
}

TEST_F(WalWriterInPlaceTest, WriterReportingAnotherSizeQueuesNothing) {
  auto writer = Open();
  AppendRange(*writer, 1, 1);
  PayloadCompletions done;
  Status status = writer->AppendInPlace(
      0, 10, [](std::span<char> out) { return out.size() - 1; }, done.Callback());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(status.message(), "wrote 9 bytes where 10 were announced")) << status;
  EXPECT_EQ(writer->stats().queued_bytes.load(), 0u);
  AppendRange(*writer, 2, 3);  // the queue holds no trace of it
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_EQ(done.count(), 0u);
}

TEST_F(WalWriterInPlaceTest, NoSpaceRefusesAndLeavesNothing) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  faults_.SetFreeSpace(kRecordHeaderSize + 10);
  PayloadCompletions::Result full = AppendInPlaceSync(*writer, 3 % 7, Payload(3));
  EXPECT_EQ(full.status.code(), StatusCode::kResourceExhausted) << full.status;
  EXPECT_EQ(full.sequence, 0u);
  EXPECT_FALSE(writer->Failed());
  faults_.ClearFaults();
  AppendRange(*writer, 3, 4);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 4));
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
}

}  // namespace
}  // namespace silt::wal
