// WriteChunkFile under failures and power loss: whatever fails and whenever the power goes, the
// final name holds either the complete chunk or nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "shared/fs/fault_injection_file_system.h"
#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"

namespace silt::store {
namespace {

using testing::AppendStreams;
using testing::RandomStreams;
using testing::ReadStream;
using testing::TestStream;

constexpr char kName[] = "chunk-0000000001.silt";

ChunkWriterOptions Options() {
  ChunkWriterOptions options;
  options.target_block_size = 4096;
  return options;
}

const std::vector<TestStream>& Streams() {
  static const std::vector<TestStream> streams = RandomStreams(21, 3, 120);
  return streams;
}

Result<ChunkWriterStats> Write(fs::FileSystem* fs, const std::string& dir) {
  return WriteChunkFile(fs, dir, kName, Options(), /*wal_seq_hi=*/42,
                        [](ChunkWriter& writer) { return AppendStreams(writer, Streams()); });
}

// Checks that `path` holds the complete chunk of Streams().
void ExpectCompleteChunk(fs::FileSystem* fs, const std::string& path) {
  auto file = fs->NewRandomAccessFile(path);
  ASSERT_TRUE(file.ok()) << file.status();
  auto reader = ChunkReader::Open(file->get());
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->footer().wal_seq_hi, 42u);
  ASSERT_EQ((*reader)->streams().size(), Streams().size());
  for (size_t s = 0; s < Streams().size(); ++s) {
    auto entries = ReadStream(**reader, s, Direction::kForward);
    ASSERT_TRUE(entries.ok()) << entries.status();
    EXPECT_EQ(*entries, Streams()[s].entries);
  }
}

TEST(WriteChunkFileTest, WritesTheFileAndNoTempFile) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem posix;
  auto stats = Write(&posix, dir.path());
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(stats->blocks, 5u);
  ExpectCompleteChunk(&posix, dir.Path(kName));
  auto names = posix.ListDir(dir.path());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{kName});
  EXPECT_EQ(*posix.GetFileSize(dir.Path(kName)), stats->file_bytes);
}

TEST(WriteChunkFileTest, LeftoverTempFileIsReplaced) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem posix;
  ASSERT_TRUE(posix.WriteFileAtomically(dir.Path(std::string(kName) + ".tmp"), "junk").ok());
  ASSERT_TRUE(Write(&posix, dir.path()).ok());
  ExpectCompleteChunk(&posix, dir.Path(kName));
  EXPECT_FALSE(posix.FileExists(dir.Path(std::string(kName) + ".tmp")));
}

TEST(WriteChunkFileTest, FillErrorLeavesNoFile) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem posix;
  auto result = WriteChunkFile(&posix, dir.path(), kName, Options(), 1, [](ChunkWriter& writer) {
    return writer.Append(0, "no stream open");
  });
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  auto names = posix.ListDir(dir.path());
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

// Fails the n-th call of `op` for n = 1, 2, ... until the write succeeds; after each attempt
// simulates a power loss and checks that the chunk is complete or absent.
void FailEveryNthUntilSuccess(fs::Op op) {
  for (uint64_t n = 1;; ++n) {
    ASSERT_LT(n, 200u) << "never succeeded";
    silt::testing::TempDir dir;
    fs::PosixFileSystem posix;
    fs::FaultInjectionFileSystem faulty(&posix);
    faulty.FailNth(op, n);
    Result<ChunkWriterStats> result = Write(&faulty, dir.path());
    bool fired = faulty.CallCount(op) >= n;
    faulty.ClearFaults();
    EXPECT_EQ(result.ok(), !fired) << fs::OpName(op) << " #" << n << ": " << result.status();
    ASSERT_TRUE(faulty.DropUnsyncedData().ok());
    const std::string path = dir.Path(kName);
    if (result.ok()) {
      EXPECT_GT(n, 1u) << "the first " << fs::OpName(op) << " never failed";
      ExpectCompleteChunk(&posix, path);
      return;
    }
    if (posix.FileExists(path)) ExpectCompleteChunk(&posix, path);
  }
}

TEST(WriteChunkFileTest, FailingNthOpenLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kOpen);
}
TEST(WriteChunkFileTest, FailingNthWriteLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kWrite);
}
TEST(WriteChunkFileTest, FailingNthSyncLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kSync);
}
TEST(WriteChunkFileTest, FailingNthCloseLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kClose);
}
TEST(WriteChunkFileTest, FailingNthRenameLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kRename);
}
TEST(WriteChunkFileTest, FailingNthSyncDirLeavesCompleteChunkOrNone) {
  FailEveryNthUntilSuccess(fs::Op::kSyncDir);
}

TEST(WriteChunkFileTest, PowerLossRightAfterSuccessKeepsTheChunk) {
  silt::testing::TempDir dir;
  fs::PosixFileSystem posix;
  fs::FaultInjectionFileSystem faulty(&posix);
  ASSERT_TRUE(Write(&faulty, dir.path()).ok());
  ASSERT_TRUE(faulty.DropUnsyncedData().ok());
  ExpectCompleteChunk(&posix, dir.Path(kName));
}

TEST(WriteChunkFileTest, DiskFullIsResourceExhaustedAndLeavesNoChunk) {
  uint64_t size = 0;
  {
    silt::testing::TempDir dir;
    fs::PosixFileSystem posix;
    auto stats = Write(&posix, dir.path());
    ASSERT_TRUE(stats.ok()) << stats.status();
    size = stats->file_bytes;
  }
  for (uint64_t free_bytes : {uint64_t{0}, uint64_t{100}, size / 2, size - 1}) {
    silt::testing::TempDir dir;
    fs::PosixFileSystem posix;
    fs::FaultInjectionFileSystem faulty(&posix);
    faulty.SetFreeSpace(free_bytes);
    Result<ChunkWriterStats> result = Write(&faulty, dir.path());
    EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted) << free_bytes;
    faulty.ClearFaults();
    ASSERT_TRUE(faulty.DropUnsyncedData().ok());
    EXPECT_FALSE(posix.FileExists(dir.Path(kName))) << free_bytes;
  }
}

}  // namespace
}  // namespace silt::store
