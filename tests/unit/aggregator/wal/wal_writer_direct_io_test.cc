// The WAL writer on direct-I/O segments (WalOptions::direct_io, shared/fs/
// posix_direct_writable_file.h): whole blocks bypass the page cache and the partial last block is
// carried and rewritten by the next group commit. What a crash leaves must recover exactly the
// acknowledged records, with no zero padding for recovery to count as damage.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/wal/wal_format.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;
using test::Payload;
using test::ReadRaw;
using test::Recovered;
using test::ReplayedRecord;
using test::SegmentNames;

// Sizes that put record ends before, on and after 4 KiB block boundaries, records spanning
// several blocks, and batches large enough (>= 64 KiB) to be written from the queue's memory.
size_t SizeOf(uint64_t seq) {
  static constexpr size_t kSizes[] = {1, 4000, 31, 4064, 70001, 0, 4096, 12289, 700, 200003, 3};
  return kSizes[seq % (sizeof(kSizes) / sizeof(kSizes[0]))];
}

ReplayedRecord RecordOf(uint64_t seq) {
  return {seq, static_cast<uint8_t>(seq % 7), Payload(seq, SizeOf(seq))};
}

class WalWriterDirectIoTest : public ::testing::Test {
 protected:
  WalWriterDirectIoTest() : options_(test::TestOptions(&posix_, dir_.Path("wal"))) {
    options_.max_segment_bytes = 300000;  // a few group commits per segment, then a roll-over
  }

  void Append(WalWriter& writer, uint64_t seq) {
    ReplayedRecord record = RecordOf(seq);
    Result<uint64_t> got = writer.AppendSync(record.type, record.payload);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(*got, seq);
    expected_.push_back(record);
  }

  // What a process crash right now would leave (every byte the writer handed to the kernel,
  // whether written directly or through the page cache), copied into a fresh directory.
  std::string CrashCopy() {
    const std::string copy = snapshots_.Path("crash-" + std::to_string(++crashes_));
    EXPECT_TRUE(posix_.CreateDirs(copy).ok());
    for (const std::string& name : SegmentNames(options_.dir)) {
      test::WriteRaw(copy + "/" + name, ReadRaw(options_.dir + "/" + name));
    }
    return copy;
  }

  // Recovers `dir` as a restarted aggregator would: exactly the acknowledged records, nothing
  // reported as damage (a zero-padded tail would count as `zero_tail`).
  void ExpectRecoversExactly(const std::string& dir) {
    WalOptions options = options_;
    options.dir = dir;
    Recovered r = test::Recover(options);
    EXPECT_EQ(r.records, expected_) << dir;
    EXPECT_TRUE(r.report.Clean()) << dir << ": " << r.report.Summary();
    EXPECT_EQ(r.report.next_sequence, expected_.size() + 1) << dir;
  }

  TempDir dir_;
  TempDir snapshots_;
  fs::PosixFileSystem posix_;
  WalOptions options_;
  std::vector<ReplayedRecord> expected_;
  int crashes_ = 0;
};

// A crash after any acknowledgement (inside a block, on a block boundary, across several blocks,
// right after a segment rolled over) recovers every acknowledged record and reports no damage.
TEST_F(WalWriterDirectIoTest, CrashAfterEveryAcknowledgementRecoversExactly) {
  ASSERT_TRUE(options_.direct_io);
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 40; ++seq) {
    Append(*writer, seq);
    ExpectRecoversExactly(CrashCopy());
  }
  EXPECT_GE(SegmentNames(options_.dir).size(), 3u) << "the segments must roll over";
  ASSERT_TRUE(writer->Close().ok());
}

// Segments hold exactly their records: sealed and closed ones are not padded to a block.
TEST_F(WalWriterDirectIoTest, SegmentsHoldExactlyTheirRecords) {
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 30; ++seq) Append(*writer, seq);
  ASSERT_TRUE(writer->Close().ok());
  uint64_t total = 0;
  for (const std::string& name : SegmentNames(options_.dir)) {
    total += ReadRaw(options_.dir + "/" + name).size();
  }
  uint64_t records = 0;
  for (const ReplayedRecord& r : expected_) records += kRecordHeaderSize + r.payload.size();
  EXPECT_EQ(total, records + SegmentNames(options_.dir).size() * kSegmentHeaderSize);
  ExpectRecoversExactly(options_.dir);
}

// A writer restarted on what a crash left appends after it (a new segment), and a second crash
// then recovers both runs' records.
TEST_F(WalWriterDirectIoTest, RestartAfterACrashAppendsAfterTheRecoveredRecords) {
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 7; ++seq) Append(*writer, seq);
  const std::string crashed = CrashCopy();
  ASSERT_TRUE(writer->Close().ok());
  writer.reset();

  options_.dir = crashed;
  Recovered r;
  writer = test::OpenForTest(options_, &r);
  ASSERT_TRUE(writer);
  EXPECT_EQ(r.records, expected_);
  EXPECT_TRUE(r.report.Clean()) << r.report.Summary();
  for (uint64_t seq = 8; seq <= 20; ++seq) Append(*writer, seq);
  ExpectRecoversExactly(CrashCopy());
  ASSERT_TRUE(writer->Close().ok());
}

// Group commits of many records at once (a batch ending anywhere in a block) recover exactly.
TEST_F(WalWriterDirectIoTest, BatchesOfManyRecordsRecoverExactly) {
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  test::Completions done;
  uint64_t seq = 0;
  for (int batch = 0; batch < 6; ++batch) {
    test::Gate gate;
    ++seq;
    test::HoldWriter(*writer, gate, Payload(seq, SizeOf(seq)));
    expected_.push_back({seq, 0, Payload(seq, SizeOf(seq))});
    for (int i = 0; i < 9; ++i) {
      ReplayedRecord record = RecordOf(++seq);
      ASSERT_TRUE(writer->Append(record.type, record.payload, done.Callback()).ok());
      expected_.push_back(record);
    }
    gate.Open();
    for (const auto& [status, got] : done.WaitFor(9 * (batch + 1))) {
      ASSERT_TRUE(status.ok()) << status;
    }
  }
  ASSERT_TRUE(writer->Close().ok());
  ExpectRecoversExactly(CrashCopy());
}

// direct_io off writes through the page cache: the same bytes.
TEST_F(WalWriterDirectIoTest, DirectIoOffWritesTheSameBytes) {
  options_.direct_io = false;
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 12; ++seq) Append(*writer, seq);
  ASSERT_TRUE(writer->Close().ok());
  const std::string plain_dir = options_.dir;

  TempDir other;
  options_.dir = other.Path("wal");
  options_.direct_io = true;
  expected_.clear();
  writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 12; ++seq) Append(*writer, seq);
  ASSERT_TRUE(writer->Close().ok());
  ASSERT_EQ(SegmentNames(plain_dir), SegmentNames(options_.dir));
  for (const std::string& name : SegmentNames(plain_dir)) {
    EXPECT_EQ(ReadRaw(plain_dir + "/" + name), ReadRaw(options_.dir + "/" + name)) << name;
  }
}

// A file system without direct I/O (the fault-injecting one of the power-loss tests) keeps its
// own semantics: unsynced bytes are lost at a power cut, acknowledged ones never.
TEST_F(WalWriterDirectIoTest, FallbackFileSystemKeepsPowerLossSemantics) {
  fs::FaultInjectionFileSystem faulty(&posix_);
  options_.fs = &faulty;
  auto writer = test::OpenForTest(options_);
  ASSERT_TRUE(writer);
  for (uint64_t seq = 1; seq <= 15; ++seq) Append(*writer, seq);
  writer.reset();  // Close: everything acknowledged is synced
  ASSERT_TRUE(faulty.DropUnsyncedData().ok());
  ExpectRecoversExactly(options_.dir);
}

}  // namespace
}  // namespace silt::wal
