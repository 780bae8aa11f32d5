#include "aggregator/wal/checkpoint.h"

#include <gtest/gtest.h>

#include <string>

#include "aggregator/wal/wal_format.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/wal/wal_test_helpers.h"

namespace silt::wal {
namespace {

using ::silt::testing::TempDir;

TEST(CheckpointTest, EncodeDecodeRoundTrips) {
  Checkpoint checkpoint{1234, std::string("state\0blob", 10)};
  std::string bytes = EncodeCheckpoint(checkpoint);
  EXPECT_EQ(bytes.size(), kCheckpointHeaderSize + 10);
  EXPECT_EQ(bytes.substr(0, 4), "WCKP");
  Result<Checkpoint> decoded = DecodeCheckpoint(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->sequence, 1234u);
  EXPECT_EQ(decoded->state, checkpoint.state);
}

TEST(CheckpointTest, EveryByteFlipIsCorruption) {
  std::string good = EncodeCheckpoint({99, "hwm"});
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x04);
    Result<Checkpoint> decoded = DecodeCheckpoint(bad);
    ASSERT_FALSE(decoded.ok()) << "byte " << i;
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorruption);
  }
}

TEST(CheckpointTest, TruncatedOrExtendedFileIsCorruption) {
  std::string good = EncodeCheckpoint({5, "abcdef"});
  EXPECT_FALSE(DecodeCheckpoint(good.substr(0, good.size() - 1)).ok());
  EXPECT_FALSE(DecodeCheckpoint(good + "x").ok());
  EXPECT_FALSE(DecodeCheckpoint(good.substr(0, 10)).ok());
  EXPECT_FALSE(DecodeCheckpoint("").ok());
}

TEST(CheckpointTest, MissingFileReadsAsSequenceZero) {
  TempDir dir;
  fs::PosixFileSystem posix;
  Result<CheckpointReadResult> read = ReadCheckpoint(&posix, dir.path());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state, CheckpointState::kMissing);
  EXPECT_EQ(read->checkpoint.sequence, 0u);
  EXPECT_EQ(read->checkpoint.state, "");
}

TEST(CheckpointTest, WrittenFileReadsBack) {
  TempDir dir;
  fs::PosixFileSystem posix;
  ASSERT_TRUE(WriteCheckpointFile(&posix, dir.path(), {10, "first"}).ok());
  ASSERT_TRUE(WriteCheckpointFile(&posix, dir.path(), {20, "second"}).ok());
  Result<CheckpointReadResult> read = ReadCheckpoint(&posix, dir.path());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state, CheckpointState::kValid);
  EXPECT_EQ(read->checkpoint.sequence, 20u);
  EXPECT_EQ(read->checkpoint.state, "second");
  EXPECT_FALSE(posix.FileExists(dir.Path("checkpoint.tmp")));
}

TEST(CheckpointTest, CorruptFileReadsAsSequenceZeroWithReason) {
  TempDir dir;
  fs::PosixFileSystem posix;
  std::string bytes = EncodeCheckpoint({77, "state"});
  bytes[10] ^= 1;
  test::WriteRaw(dir.Path("checkpoint"), bytes);
  Result<CheckpointReadResult> read = ReadCheckpoint(&posix, dir.path());
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->state, CheckpointState::kCorrupt);
  EXPECT_EQ(read->checkpoint.sequence, 0u);
  EXPECT_NE(read->reason.find("checksum"), std::string::npos) << read->reason;
}

}  // namespace
}  // namespace silt::wal
