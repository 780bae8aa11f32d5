#include "aggregator/wal/open_wal.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "aggregator/wal/wal_format.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/fs/posix_file_system.h"
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

class OpenWalTest : public ::testing::Test {
 protected:
  OpenWalTest() : options_(test::TestOptions(&posix_, dir_.Path("wal"))) {}

  std::unique_ptr<WalWriter> Open(Recovered* recovered = nullptr) {
    return test::OpenForTest(options_, recovered);
  }

  TempDir dir_;
  fs::PosixFileSystem posix_;
  WalOptions options_;
};

TEST_F(OpenWalTest, WorkedExampleTornTailRecoversRecordOne) {
  auto writer = Open();
  ASSERT_TRUE(writer->AppendSync(1, "hello").ok());
  ASSERT_TRUE(writer->AppendSync(2, "world!").ok());
  writer.reset();
  std::string path = options_.dir + "/" + SegmentFileName(1);
  test::WriteRaw(path, ReadRaw(path).substr(0, 0x68));
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, (std::vector<ReplayedRecord>{{1, 1, "hello"}}));
  ASSERT_EQ(r.report.problems.size(), 1u);
  EXPECT_EQ(r.report.problems[0].kind, ProblemKind::kTornTail);
  EXPECT_EQ(r.report.problems[0].offset, 69u);
  EXPECT_EQ(r.report.problems[0].bytes_dropped, 35u);
  EXPECT_TRUE(
      Contains(r.report.problems[0].reason, "record 2 needs 38 bytes but the file ends after 35"))
      << r.report.problems[0].reason;
  EXPECT_EQ(ReadRaw(path).size(), 69u);
  Result<uint64_t> again = writer->AppendSync(2, "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*again, 2u);
  EXPECT_TRUE(std::filesystem::exists(options_.dir + "/" + SegmentFileName(2)));
}

TEST_F(OpenWalTest, RestartContinuesInANewSegment) {
  auto writer = Open();
  AppendRange(*writer, 1, 3);
  writer.reset();
  std::string first = ReadRaw(options_.dir + "/" + SegmentFileName(1));
  writer = Open();
  EXPECT_TRUE(SegmentNames(options_.dir).size() == 1);  // nothing created before a write
  AppendRange(*writer, 4, 5);
  writer.reset();
  EXPECT_EQ(SegmentNames(options_.dir),
            (std::vector<std::string>{SegmentFileName(1), SegmentFileName(4)}));
  EXPECT_EQ(ReadRaw(options_.dir + "/" + SegmentFileName(1)), first);
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 5));
}

TEST_F(OpenWalTest, SecondOpenOfTheSameDirectoryIsRefused) {
  auto writer = Open();
  Result<OpenedWal> second = OpenWal(options_, ReplayHandler{});
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(second.status().message(), options_.dir)) << second.status();
  writer.reset();
  EXPECT_TRUE(OpenWal(options_, ReplayHandler{}).ok());
}

TEST_F(OpenWalTest, CheckpointStateAndSequenceSurviveRestart) {
  auto writer = Open();
  AppendRange(*writer, 1, 6);
  ASSERT_TRUE(writer->WriteCheckpoint(4, "agent marks").ok());
  EXPECT_EQ(writer->checkpoint_sequence(), 4u);
  writer.reset();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.checkpoint.state, CheckpointState::kValid);
  EXPECT_EQ(r.checkpoint.checkpoint.state, "agent marks");
  EXPECT_EQ(r.records, ExpectedRecords(5, 6));
  EXPECT_EQ(writer->checkpoint_sequence(), 4u);
}

TEST_F(OpenWalTest, SequenceContinuesAfterEverySegmentWasCheckpointedAway) {
  options_.max_segment_bytes = 300;
  auto writer = Open();
  AppendRange(*writer, 1, 5);
  ASSERT_TRUE(writer->WriteCheckpoint(5, "").ok());
  writer.reset();
  writer = Open();
  ASSERT_TRUE(writer->DeleteSegmentsCoveredBy(5).ok());  // the newest segment stays
  EXPECT_EQ(SegmentNames(options_.dir), std::vector<std::string>{SegmentFileName(5)});
  writer.reset();
  writer = Open();
  AppendRange(*writer, 6, 6);
}

TEST_F(OpenWalTest, CreatesAMissingDirectoryWithItsParents) {
  options_.dir = dir_.Path("a/b/wal");
  auto writer = Open();
  ASSERT_TRUE(writer);
  AppendRange(*writer, 1, 1);
  EXPECT_TRUE(std::filesystem::exists(options_.dir + "/" + SegmentFileName(1)));
  EXPECT_TRUE(std::filesystem::exists(options_.dir + "/LOCK"));
}

TEST_F(OpenWalTest, BadOptionsAreInvalidArgument) {
  WalOptions no_fs = options_;
  no_fs.fs = nullptr;
  EXPECT_EQ(OpenWal(no_fs, {}).status().code(), StatusCode::kInvalidArgument);
  WalOptions no_dir = options_;
  no_dir.dir = "";
  EXPECT_EQ(OpenWal(no_dir, {}).status().code(), StatusCode::kInvalidArgument);
  WalOptions tiny = options_;
  tiny.max_segment_bytes = 10;
  Result<OpenedWal> opened = OpenWal(tiny, {});
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Contains(opened.status().message(), "max_segment_bytes")) << opened.status();
}

TEST_F(OpenWalTest, DamagedWalStillOpensAndReportsWhatItDropped) {
  auto writer = Open();
  AppendRange(*writer, 1, 6);
  writer.reset();
  std::string path = options_.dir + "/" + SegmentFileName(1);
  std::string bytes = ReadRaw(path);
  bytes[kSegmentHeaderSize + 2 * (kRecordHeaderSize + 24) + kRecordHeaderSize] ^= 1;  // record 3
  test::WriteRaw(path, bytes + std::string(100, '\0'));
  Recovered r;
  writer = Open(&r);
  ASSERT_TRUE(writer);
  EXPECT_EQ(r.records.size(), 5u);
  EXPECT_EQ(r.report.Count(ProblemKind::kBadPayload), 1u) << r.report.Summary();
  EXPECT_EQ(r.report.Count(ProblemKind::kZeroTail), 1u) << r.report.Summary();
  EXPECT_EQ(r.report.records_skipped, 1u);
  EXPECT_EQ(r.report.bytes_dropped, kRecordHeaderSize + 24 + 100);
  AppendRange(*writer, 7, 7);  // the sequence goes on after the damaged record's number
}

TEST_F(OpenWalTest, HandlerErrorFailsOpenAndReleasesTheLock) {
  auto writer = Open();
  AppendRange(*writer, 1, 2);
  writer.reset();
  ReplayHandler failing;
  failing.on_record = [](const WalRecord&) { return Status::Corruption("cannot decode batch"); };
  Result<OpenedWal> opened = OpenWal(options_, failing);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kCorruption);
  EXPECT_TRUE(Contains(opened.status().message(), "cannot decode batch")) << opened.status();
  EXPECT_TRUE(Contains(opened.status().message(), options_.dir)) << opened.status();
  Recovered r;
  writer = Open(&r);
  EXPECT_EQ(r.records, ExpectedRecords(1, 2));
}

}  // namespace
}  // namespace silt::wal
