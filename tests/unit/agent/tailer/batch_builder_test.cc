#include "agent/tailer/batch_builder.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "tests/support/temp_dir.h"

namespace silt::agent {
namespace {

class BatchBuilderTest : public ::testing::Test {
 protected:
  std::unique_ptr<FileTailer> Tail(const std::string& name, const std::string& content,
                                   uint64_t source_id, LineSplitter::Options lines = {}) {
    const std::string path = dir_.Path(name);
    EXPECT_TRUE(fs_.WriteFileAtomically(path, content).ok());
    auto file = fs_.NewRandomAccessFile(path);
    EXPECT_TRUE(file.ok());
    Fingerprint fp = *ComputeFingerprint(**file);
    return std::make_unique<FileTailer>(std::move(*file), FileIdentity{0, 0, fp}, source_id, 0,
                                        lines);
  }
  Result<FileTailer::ReadResult> Read(BatchBuilder& builder, FileTailer& tailer, size_t n) {
    scratch_.resize(n);
    return builder.Read(tailer, "/watched/" + std::to_string(tailer.source_id()), scratch_.data(),
                        scratch_.size());
  }

  testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  std::vector<char> scratch_;
};

TEST_F(BatchBuilderTest, ConsecutiveReadsOfOneSourceShareAChunk) {
  BatchBuilder builder({});
  auto tailer = Tail("a", "one\ntwo\n", 1);
  ASSERT_TRUE(Read(builder, *tailer, 4).ok());
  ASSERT_TRUE(Read(builder, *tailer, 4).ok());
  Batch batch = builder.Take();
  ASSERT_EQ(batch.chunks.size(), 1u);
  EXPECT_EQ(batch.chunks[0].source_id, 1u);
  EXPECT_EQ(batch.chunks[0].path, "/watched/1");
  EXPECT_EQ(batch.chunks[0].start_offset, 0u);
  EXPECT_EQ(batch.chunks[0].end_offset, 8u);
  EXPECT_EQ(batch.chunks[0].lines.size(), 2u);
  EXPECT_EQ(batch.lines, 2u);
  EXPECT_EQ(batch.bytes, 6u);
}

TEST_F(BatchBuilderTest, InterleavedSourcesGetSeparateContiguousChunks) {
  BatchBuilder builder({});
  auto a = Tail("a", "a1\na2\n", 1);
  auto b = Tail("b", "b1\n", 2);
  ASSERT_TRUE(Read(builder, *a, 3).ok());
  ASSERT_TRUE(Read(builder, *b, 3).ok());
  ASSERT_TRUE(Read(builder, *a, 3).ok());
  Batch batch = builder.Take();
  ASSERT_EQ(batch.chunks.size(), 3u);
  EXPECT_EQ(batch.chunks[0].end_offset, 3u);
  EXPECT_EQ(batch.chunks[2].source_id, 1u);
  EXPECT_EQ(batch.chunks[2].start_offset, 3u);
  EXPECT_EQ(batch.chunks[2].end_offset, 6u);
}

TEST_F(BatchBuilderTest, PartialLineAddsNoChunkUntilItEnds) {
  BatchBuilder builder({});
  auto tailer = Tail("a", "abcdef\n", 1);
  ASSERT_TRUE(Read(builder, *tailer, 3).ok());
  EXPECT_TRUE(builder.empty());
  ASSERT_TRUE(Read(builder, *tailer, 10).ok());
  Batch batch = builder.Take();
  ASSERT_EQ(batch.chunks.size(), 1u);
  EXPECT_EQ(batch.chunks[0].start_offset, 0u);
  EXPECT_EQ(batch.chunks[0].lines[0].text, "abcdef");
}

TEST_F(BatchBuilderTest, RangeOfOnlySkippedBytesIsKeptSoThePositionMoves) {
  BatchBuilder builder({});
  auto tailer = Tail("a", "far too long\n", 1,
                     {.max_line_size = 3, .oversize_policy = OversizeLinePolicy::kSkip});
  ASSERT_TRUE(Read(builder, *tailer, 64).ok());
  Batch batch = builder.Take();
  ASSERT_EQ(batch.chunks.size(), 1u);
  EXPECT_TRUE(batch.chunks[0].lines.empty());
  EXPECT_EQ(batch.chunks[0].end_offset, 13u);
}

TEST_F(BatchBuilderTest, FullAtTheLineLimit) {
  BatchBuilder builder({.max_lines = 2, .max_bytes = 1000});
  auto tailer = Tail("a", "1\n2\n3\n", 1);
  ASSERT_TRUE(Read(builder, *tailer, 2).ok());
  EXPECT_FALSE(builder.full());
  ASSERT_TRUE(Read(builder, *tailer, 2).ok());
  EXPECT_TRUE(builder.full());
  builder.Take();
  EXPECT_FALSE(builder.full());
  EXPECT_TRUE(builder.empty());
}

TEST_F(BatchBuilderTest, FullAtTheByteLimit) {
  BatchBuilder builder({.max_lines = 100, .max_bytes = 5});
  auto tailer = Tail("a", "abc\ndef\n", 1);
  ASSERT_TRUE(Read(builder, *tailer, 4).ok());
  EXPECT_FALSE(builder.full());
  ASSERT_TRUE(Read(builder, *tailer, 4).ok());
  EXPECT_TRUE(builder.full());
}

TEST_F(BatchBuilderTest, FinishAddsTheHeldLine) {
  BatchBuilder builder({});
  auto tailer = Tail("a", "a\nrest", 1);
  ASSERT_TRUE(Read(builder, *tailer, 64).ok());
  builder.Finish(*tailer, "/watched/1");
  Batch batch = builder.Take();
  ASSERT_EQ(batch.chunks.size(), 1u);
  ASSERT_EQ(batch.chunks[0].lines.size(), 2u);
  EXPECT_TRUE(batch.chunks[0].lines[1].unterminated);
  EXPECT_EQ(batch.chunks[0].end_offset, 6u);
}

}  // namespace
}  // namespace silt::agent
