#include "aggregator/wal/wal_recovery.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/wal/checkpoint.h"
#include "aggregator/wal/wal_format.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;
using test::ExpectedRecords;
using test::ReadRaw;
using test::Recovered;
using test::ReplayedRecord;
using test::SegmentBuilder;
using test::WriteRaw;

class WalRecoveryTest : public ::testing::Test {
 protected:
  WalRecoveryTest() : options_(test::TestOptions(&posix_, dir_.path())) {}

  std::string Write(SegmentBuilder& segment) {
    std::string path = dir_.Path(segment.FileName());
    WriteRaw(path, segment.bytes());
    return path;
  }

  Recovered Recover(RecoveryMode mode = RecoveryMode::kRepair) {
    return test::Recover(options_, mode);
  }

  // The counters of every kind, as "kind=n" for the kinds that are not zero.
  static std::string Counts(const RecoveryReport& report) {
    std::string out;
    for (size_t i = 0; i < kProblemKindCount; ++i) {
      if (report.problem_counts[i] == 0) continue;
      out += std::string(ProblemKindName(static_cast<ProblemKind>(i))) + "=" +
             std::to_string(report.problem_counts[i]) + " ";
    }
    return out;
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;
  WalOptions options_;
};

TEST_F(WalRecoveryTest, EmptyDirectoryStartsAtSequenceOne) {
  Recovered r = Recover();
  EXPECT_TRUE(r.records.empty());
  EXPECT_TRUE(r.report.Clean());
  EXPECT_EQ(r.report.next_sequence, 1u);
  EXPECT_EQ(r.report.last_sequence, 0u);
}

TEST_F(WalRecoveryTest, CleanSegmentsReplayInOrder) {
  SegmentBuilder a(1), b(4);
  a.AddRange(1, 3);
  b.AddRange(4, 6, 1000);
  Write(a);
  Write(b);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 3);
  for (const ReplayedRecord& rec : ExpectedRecords(4, 6, 1000)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_TRUE(r.report.Clean()) << Counts(r.report);
  EXPECT_EQ(r.report.segments_read, 2u);
  EXPECT_EQ(r.report.records_replayed, 6u);
  EXPECT_EQ(r.report.last_sequence, 6u);
  EXPECT_EQ(r.report.next_sequence, 7u);
  EXPECT_TRUE(r.report.repaired_files.empty());
}

TEST_F(WalRecoveryTest, TornLastRecordIsTruncated) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 5);
  uint64_t good_end = seg.offset(4);
  seg.bytes().resize(good_end + kRecordHeaderSize + 10);  // header and 10 of 24 payload bytes
  std::string path = Write(seg);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 4));
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, kRecordHeaderSize + 10);
  ASSERT_EQ(r.report.problems.size(), 1u);
  EXPECT_EQ(r.report.problems[0].path, path);
  EXPECT_EQ(r.report.problems[0].offset, good_end);
  EXPECT_EQ(ReadRaw(path).size(), good_end);
  EXPECT_EQ(r.report.next_sequence, 5u);
  EXPECT_EQ(r.report.repaired_files, std::vector<std::string>{path});
}

TEST_F(WalRecoveryTest, TornLastPayloadWithWrongChecksumIsTruncated) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 3);
  seg.bytes().back() ^= 0x20;  // the last record's payload never fully reached the disk
  std::string path = Write(seg);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 2));
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_EQ(ReadRaw(path).size(), seg.offset(2));
}

TEST_F(WalRecoveryTest, BadHeaderIsResynchronised) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 6);
  seg.bytes()[seg.offset(2) + kRecordSequenceOffset] ^= 0x40;  // record 3's header
  std::string path = Write(seg);
  uint64_t size = seg.bytes().size();
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 2);
  for (const ReplayedRecord& rec : ExpectedRecords(4, 6)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadHeader), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceGap), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 2u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, seg.offset(3) - seg.offset(2));
  EXPECT_EQ(r.report.problems[0].offset, seg.offset(2));
  EXPECT_EQ(ReadRaw(path).size(), size);  // nothing truncated: good data follows
  EXPECT_EQ(r.report.next_sequence, 7u);
}

TEST_F(WalRecoveryTest, BadChecksumIsSkipped) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 4);
  // The header stays intact but records a checksum the payload does not have.
  char* header = seg.bytes().data() + seg.offset(1);
  PutFixed64(header + kRecordPayloadHashOffset, 0x0123456789abcdefull);
  PutFixed32(header + kRecordCheckOffset, HeaderCheck(header));
  Write(seg);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 1);
  for (const ReplayedRecord& rec : ExpectedRecords(3, 4)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadPayload), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 1u) << Counts(r.report);  // no gap: sequence 2 was seen
  EXPECT_EQ(r.report.records_skipped, 1u);
  EXPECT_EQ(r.report.bytes_dropped, kRecordHeaderSize + 24);
  EXPECT_NE(r.report.problems[0].reason.find("record 2"), std::string::npos);
}

TEST_F(WalRecoveryTest, BadContentIsSkipped) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 4);
  seg.bytes()[seg.offset(2) + kRecordHeaderSize + 5] ^= 0x01;  // a bit flip in record 3's payload
  Write(seg);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 2);
  expected.push_back(ExpectedRecords(4, 4)[0]);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadPayload), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.records_skipped, 1u);
  EXPECT_EQ(r.report.next_sequence, 5u);
}

TEST_F(WalRecoveryTest, BadLengthIsDetected) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 5);
  // A flipped high bit would make record 2 claim 16 MiB; the header check catches it before the
  // length is trusted, and scanning finds record 3.
  seg.bytes()[seg.offset(1) + kRecordLengthOffset + 3] ^= 0x01;
  Write(seg);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 1);
  for (const ReplayedRecord& rec : ExpectedRecords(3, 5)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadHeader), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceGap), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, seg.offset(2) - seg.offset(1));
}

TEST_F(WalRecoveryTest, LengthOverTheLimitIsSkippedWithoutAllocating) {
  SegmentBuilder seg(1);
  seg.Add(1).Add(2, 5000).Add(3);
  Write(seg);
  options_.max_payload_bytes = 4096;
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 1);
  expected.push_back(ExpectedRecords(3, 3)[0]);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadLength), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, seg.offset(2) - seg.offset(1));
}

TEST_F(WalRecoveryTest, ZeroFilledTailIsTruncated) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 3);
  uint64_t good_end = seg.bytes().size();
  seg.bytes().append(4096, '\0');
  std::string path = Write(seg);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_EQ(r.report.Count(ProblemKind::kZeroTail), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, 4096u);
  EXPECT_EQ(ReadRaw(path).size(), good_end);
}

TEST_F(WalRecoveryTest, ZeroFilledGapInTheMiddleIsResynchronised) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 4);
  uint64_t from = seg.offset(1);
  uint64_t to = seg.offset(3);
  std::fill(seg.bytes().begin() + static_cast<std::ptrdiff_t>(from),
            seg.bytes().begin() + static_cast<std::ptrdiff_t>(to), '\0');
  Write(seg);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 1);
  expected.push_back(ExpectedRecords(4, 4)[0]);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadHeader), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.bytes_dropped, to - from);
}

TEST_F(WalRecoveryTest, TruncationAtEveryByteOfLastTwoRecords) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 3, 20).AddRange(4, 5, 37);
  const std::string full = seg.bytes();
  const uint64_t fourth = seg.offset(3);
  const uint64_t fifth = seg.offset(4);
  for (uint64_t cut = fourth; cut <= full.size(); ++cut) {
    SCOPED_TRACE("cut at byte " + std::to_string(cut));
    TempDir dir;
    WalOptions options = test::TestOptions(&posix_, dir.path());
    std::string path = dir.Path(SegmentFileName(1));
    WriteRaw(path, full.substr(0, cut));
    Recovered r = test::Recover(options);
    uint64_t intact = cut == full.size() ? 5 : cut >= fifth ? 4 : 3;
    uint64_t boundary = intact == 5 ? full.size() : intact == 4 ? fifth : fourth;
    std::vector<ReplayedRecord> expected = ExpectedRecords(1, 3, 20);
    for (const ReplayedRecord& rec : ExpectedRecords(4, intact, 37)) expected.push_back(rec);
    EXPECT_EQ(r.records, expected);
    EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), cut == boundary ? 0u : 1u)
        << Counts(r.report);
    EXPECT_EQ(r.report.TotalProblems(), cut == boundary ? 0u : 1u) << Counts(r.report);
    EXPECT_EQ(r.report.bytes_dropped, cut - boundary);
    EXPECT_EQ(ReadRaw(path).size(), boundary);
    EXPECT_EQ(r.report.next_sequence, intact + 1);
  }
}

TEST_F(WalRecoveryTest, BadSegmentHeaderSkipsTheSegment) {
  SegmentBuilder a(1), b(4), c(7);
  a.AddRange(1, 3);
  b.AddRange(4, 6);
  c.AddRange(7, 9);
  b.bytes()[10] ^= 0x01;
  Write(a);
  std::string bad = Write(b);
  Write(c);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 3);
  for (const ReplayedRecord& rec : ExpectedRecords(7, 9)) expected.push_back(rec);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadSegmentHeader), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceGap), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.problems[0].path, bad);
  EXPECT_EQ(r.report.bytes_dropped, b.bytes().size());
  EXPECT_EQ(ReadRaw(bad), b.bytes());  // left in place for inspection
  EXPECT_EQ(r.report.next_sequence, 10u);
}

TEST_F(WalRecoveryTest, BadHeaderOfNewestSegmentKeepsItsNumberUsed) {
  SegmentBuilder a(1), b(4);
  a.AddRange(1, 3);
  b.AddRange(4, 6);
  b.bytes()[0] = 'X';
  Write(a);
  Write(b);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_EQ(r.report.Count(ProblemKind::kBadSegmentHeader), 1u) << Counts(r.report);
  // The writer must not reuse the damaged segment's name (or any number it may hold).
  EXPECT_EQ(r.report.next_sequence, 5u);
}

TEST_F(WalRecoveryTest, SegmentNameNotMatchingItsHeaderIsBadSegmentHeader) {
  SegmentBuilder a(1);
  a.AddRange(1, 2);
  WriteRaw(dir_.Path(SegmentFileName(2)), a.bytes());
  Recovered r = Recover();
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(r.report.Count(ProblemKind::kBadSegmentHeader), 1u) << Counts(r.report);
  EXPECT_NE(r.report.problems[0].reason.find("file name says 2"), std::string::npos);
}

TEST_F(WalRecoveryTest, IncompleteNewestSegmentIsRemoved) {
  SegmentBuilder a(1), b(4);
  a.AddRange(1, 3);
  Write(a);
  std::string path = dir_.Path(b.FileName());
  WriteRaw(path, b.bytes().substr(0, 12));
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_FALSE(posix_.FileExists(path));
  EXPECT_EQ(r.report.next_sequence, 4u);
}

TEST_F(WalRecoveryTest, EmptyNewestSegmentIsRemovedAndItsNumberKept) {
  SegmentBuilder a(1), b(10);
  a.AddRange(1, 3);
  Write(a);
  std::string path = Write(b);  // header only: created, then a crash before any record
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 3));
  EXPECT_TRUE(r.report.Clean()) << Counts(r.report);
  EXPECT_FALSE(posix_.FileExists(path));
  EXPECT_EQ(r.report.next_sequence, 10u);
}

TEST_F(WalRecoveryTest, SequenceGapIsReported) {
  SegmentBuilder a(1), b(6);
  a.AddRange(1, 3);
  b.AddRange(6, 7);
  Write(a);
  Write(b);
  Recovered r = Recover();
  EXPECT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceGap), 1u) << Counts(r.report);
  EXPECT_NE(r.report.problems[0].reason.find("records 4..5 are missing"), std::string::npos)
      << r.report.problems[0].reason;
}

TEST_F(WalRecoveryTest, SequenceRepeatIsSkipped) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 3).Add(2).Add(4);
  Write(seg);
  Recovered r = Recover();
  std::vector<ReplayedRecord> expected = ExpectedRecords(1, 4);
  EXPECT_EQ(r.records, expected);
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceRepeat), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.records_skipped, 1u);
}

TEST_F(WalRecoveryTest, CheckpointedRecordsAreNotReplayed) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 6);
  Write(seg);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {4, "s"}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(5, 6));
  EXPECT_EQ(r.report.records_before_checkpoint, 4u);
  EXPECT_EQ(r.report.checkpoint_sequence, 4u);
  EXPECT_TRUE(r.report.Clean()) << Counts(r.report);
}

TEST_F(WalRecoveryTest, CheckpointedPayloadsAreNotCheckedAtStartup) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 5);
  seg.bytes()[seg.offset(1) + kRecordHeaderSize + 3] ^= 0x01;  // record 2, under the checkpoint
  Write(seg);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {3, "s"}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(4, 5));
  EXPECT_TRUE(r.report.Clean()) << Counts(r.report);
  EXPECT_EQ(r.report.records_before_checkpoint, 3u);
  EXPECT_EQ(r.report.next_sequence, 6u);
  // Read-only recovery, for inspection, still checks every payload.
  Recovered inspected = Recover(RecoveryMode::kReadOnly);
  EXPECT_EQ(inspected.records, ExpectedRecords(4, 5));
  EXPECT_EQ(inspected.report.Count(ProblemKind::kBadPayload), 1u) << Counts(inspected.report);
}

TEST_F(WalRecoveryTest, PayloadsAboveTheCheckpointAreStillChecked) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 5);
  seg.bytes()[seg.offset(3) + kRecordHeaderSize + 3] ^= 0x01;  // record 4
  Write(seg);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {3, "s"}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(5, 5));
  EXPECT_EQ(r.report.Count(ProblemKind::kBadPayload), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.records_skipped, 1u);
}

TEST_F(WalRecoveryTest, CheckpointedLastRecordOfTheNewestSegmentIsStillChecked) {
  // A torn write shows in the newest segment's last record even when a checkpoint covers it.
  SegmentBuilder old_seg(1), newest(3);
  old_seg.AddRange(1, 2);
  newest.AddRange(3, 4);
  newest.bytes()[newest.offset(1) + kRecordHeaderSize + 3] ^= 0x01;  // record 4, the last
  Write(old_seg);
  std::string path = Write(newest);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {4, "s"}).ok());
  Recovered r = Recover();
  EXPECT_TRUE(r.records.empty());
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_EQ(ReadRaw(path).size(), newest.offset(1));  // truncated at record 4
  EXPECT_EQ(r.report.next_sequence, 5u);
}

TEST_F(WalRecoveryTest, CheckpointedRecordsLargerThanAReadChunkAreSkippedWhole) {
  // Payloads above the 1 MiB read chunk: the headers after them are found by their lengths.
  SegmentBuilder seg(1);
  seg.AddRange(1, 4, 1536 * 1024);
  Write(seg);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {3, "s"}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(4, 4, 1536 * 1024));
  EXPECT_TRUE(r.report.Clean()) << Counts(r.report);
  EXPECT_EQ(r.report.records_before_checkpoint, 3u);
}

TEST_F(WalRecoveryTest, CorruptCheckpointReplaysEverything) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 6);
  Write(seg);
  std::string bytes = EncodeCheckpoint({4, "s"});
  bytes[9] ^= 0x02;
  WriteRaw(dir_.Path("checkpoint"), bytes);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 6));
  EXPECT_EQ(r.report.Count(ProblemKind::kCorruptCheckpoint), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.TotalProblems(), 1u) << Counts(r.report);
  EXPECT_EQ(r.report.checkpoint_sequence, 0u);
}

TEST_F(WalRecoveryTest, MissingRecordsAfterTheCheckpointAreAGap) {
  SegmentBuilder seg(10);
  seg.AddRange(10, 12);
  Write(seg);
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {5, ""}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(10, 12));
  EXPECT_EQ(r.report.Count(ProblemKind::kSequenceGap), 1u) << Counts(r.report);
}

TEST_F(WalRecoveryTest, NextSequenceNeverGoesBelowTheCheckpoint) {
  ASSERT_TRUE(WriteCheckpointFile(&posix_, dir_.path(), {500, ""}).ok());
  Recovered r = Recover();
  EXPECT_EQ(r.report.next_sequence, 501u);
}

TEST_F(WalRecoveryTest, MinNextSequenceIsHonoured) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 2);
  Write(seg);
  options_.min_next_sequence = 1000;
  Recovered r = Recover();
  EXPECT_EQ(r.report.next_sequence, 1000u);
}

TEST_F(WalRecoveryTest, UnknownSegmentVersionFailsRecovery) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 2);
  seg.bytes()[kSegmentVersionOffset] = 9;
  PutFixed32(seg.bytes().data() + kSegmentCheckOffset, HeaderCheck(seg.bytes().data()));
  Write(seg);
  Result<RecoveryReport> report =
      RecoverWal(options_, CheckpointReadResult{}, nullptr, RecoveryMode::kRepair);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(report.status().message().find("version 9"), std::string_view::npos);
}

TEST_F(WalRecoveryTest, ReadOnlyModeChangesNothing) {
  SegmentBuilder a(1), b(4);
  a.AddRange(1, 3);
  b.AddRange(4, 5);
  b.bytes().resize(b.bytes().size() - 3);
  Write(a);
  std::string path = Write(b);
  std::string before = ReadRaw(path);
  Recovered r = Recover(RecoveryMode::kReadOnly);
  EXPECT_EQ(r.records, ExpectedRecords(1, 4));
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_TRUE(r.report.repaired_files.empty());
  EXPECT_EQ(ReadRaw(path), before);
}

TEST_F(WalRecoveryTest, TornTailOfSealedSegmentIsLeftInPlace) {
  SegmentBuilder a(1), b(4);
  a.AddRange(1, 3);
  a.bytes().append("xyz");
  b.AddRange(4, 5);
  std::string sealed = Write(a);
  Write(b);
  Recovered r = Recover();
  EXPECT_EQ(r.records, ExpectedRecords(1, 5));
  EXPECT_EQ(r.report.Count(ProblemKind::kTornTail), 1u) << Counts(r.report);
  EXPECT_EQ(ReadRaw(sealed), a.bytes());
}

TEST_F(WalRecoveryTest, ReplayErrorStopsRecoveryAndIsReturned) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 3);
  seg.bytes().resize(seg.bytes().size() - 1);
  std::string path = Write(seg);
  int calls = 0;
  Result<RecoveryReport> report = RecoverWal(
      options_, CheckpointReadResult{},
      [&calls](const WalRecord&) {
        ++calls;
        return Status::IOError("store is unhappy");
      },
      RecoveryMode::kRepair);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_NE(report.status().message().find("store is unhappy"), std::string_view::npos);
  EXPECT_NE(report.status().message().find("record 1"), std::string_view::npos);
  EXPECT_EQ(ReadRaw(path), seg.bytes());  // no repair after a failed replay
}

TEST_F(WalRecoveryTest, SummaryNamesEveryProblemKind) {
  SegmentBuilder seg(1);
  seg.AddRange(1, 4);
  seg.bytes()[seg.offset(1) + kRecordHeaderSize] ^= 1;
  seg.bytes().append(64, '\0');
  Write(seg);
  Recovered r = Recover();
  std::string summary = r.report.Summary();
  EXPECT_NE(summary.find("replayed 3 records"), std::string::npos) << summary;
  EXPECT_NE(summary.find("bad_payload=1"), std::string::npos) << summary;
  EXPECT_NE(summary.find("zero_tail=1"), std::string::npos) << summary;
  EXPECT_NE(RecoveryReport::Describe(r.report.problems[0]).find(SegmentFileName(1)),
            std::string::npos);
}

}  // namespace
}  // namespace silt::wal
