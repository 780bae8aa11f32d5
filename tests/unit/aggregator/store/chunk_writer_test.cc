#include "aggregator/store/chunk_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/entry_arena.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

using testing::kBaseTs;
using testing::MemoryRandomAccessFile;
using testing::MemoryWritableFile;
using testing::RandomStreams;
using testing::WriteChunk;

const labels::LabelSet kStream = labels::LabelSet::Of({{"app", "api"}});

std::unique_ptr<ChunkWriter> NewWriter(MemoryWritableFile* file, ChunkWriterOptions options = {}) {
  auto writer = ChunkWriter::Create(file, std::move(options));
  EXPECT_TRUE(writer.ok()) << writer.status();
  return writer.ok() ? std::move(writer).value() : nullptr;
}

// The flush copies head entries as they are encoded in their arena: the file must be byte for
// byte the one Append writes (block cuts, blooms and all).
TEST(ChunkWriterTest, AppendEncodedWritesTheSameBytesAsAppend) {
  const std::vector<testing::TestStream> streams = RandomStreams(9, 4, 600);
  for (ChunkWriterOptions options :
       {ChunkWriterOptions{.target_block_size = 4096},
        ChunkWriterOptions{.codec = Codec::kNone, .target_block_size = 4096},
        ChunkWriterOptions{
            .codec = Codec::kZstd, .target_block_size = 4096, .build_blooms = false}}) {
    MemoryWritableFile file;
    auto writer = NewWriter(&file, options);
    EntryArena arena(64 * 1024);
    for (const testing::TestStream& stream : streams) {
      ASSERT_TRUE(writer->BeginStream(stream.labels).ok());
      for (const testing::TestEntry& entry : stream.entries) {
        const char* stored = arena.Add(entry.line, testing::Views(entry.metadata));
        std::string_view line;
        std::vector<labels::LabelView> metadata;
        std::string_view encoded = DecodeEncodedEntry(stored, &line, &metadata);
        ASSERT_TRUE(writer->AppendEncoded(entry.ts, encoded, line, metadata).ok());
      }
      ASSERT_TRUE(writer->EndStream().ok());
    }
    ASSERT_TRUE(writer->Finish(7).ok());
    EXPECT_GT(writer->stats().blocks, streams.size());
    EXPECT_EQ(file.contents(), WriteChunk(streams, options, 7));
  }
}

TEST(ChunkWriterTest, AppendEncodedChecksLikeAppend) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  EntryArena arena(4096);
  const char* stored = arena.Add("line", {});
  std::string_view line;
  std::vector<labels::LabelView> metadata;
  std::string_view encoded = DecodeEncodedEntry(stored, &line, &metadata);
  EXPECT_EQ(writer->AppendEncoded(kBaseTs, encoded, line, metadata).code(),
            StatusCode::kInvalidArgument);  // no open stream
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->AppendEncoded(kBaseTs, encoded, line, metadata).ok());
  Status older = writer->AppendEncoded(kBaseTs - 1, encoded, line, metadata);
  EXPECT_EQ(older.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(older.message().find("before the previous entry"), std::string_view::npos) << older;
  EXPECT_EQ(writer->stats().entries, 1u);
}

TEST(ChunkWriterTest, InvalidOptionsAreRejected) {
  auto expect_invalid = [](ChunkWriterOptions options, std::string_view fragment) {
    Status status = ValidateChunkWriterOptions(options);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find(fragment), std::string_view::npos) << status;
  };
  expect_invalid({.tenant = ""}, "tenant id");
  expect_invalid({.tenant = ".."}, "tenant id");
  expect_invalid({.tenant = "a/b"}, "tenant id");
  expect_invalid({.tenant = std::string(65, 'a')}, "tenant id");
  expect_invalid({.partition_start = 10, .partition_end = 10}, "partition");
  expect_invalid({.codec = static_cast<Codec>(7)}, "unknown chunk codec");
  expect_invalid({.codec = Codec::kZstd, .zstd_level = 99}, "zstd level 99");
  expect_invalid({.target_block_size = 100}, "target block size");
  expect_invalid({.bloom_false_positive_rate = 0}, "false-positive rate");
  expect_invalid({.bloom_false_positive_rate = 0.9}, "false-positive rate");
  EXPECT_TRUE(ValidateChunkWriterOptions({}).ok());
}

TEST(ChunkWriterTest, CreateWritesTheHeaderOnly) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.tenant = "fake"});
  EXPECT_EQ(file.contents().size(), kHeaderFixedSize + 4);
  EXPECT_EQ(file.contents().substr(0, 4), "LOGS");
}

TEST(ChunkWriterTest, BlocksAreCutBeforeExceedingTheTargetSize) {
  MemoryWritableFile file;
  constexpr size_t kTarget = 8 * 1024;
  auto writer = NewWriter(&file, {.codec = Codec::kNone, .target_block_size = kTarget});
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    std::string line(20 + rng() % 200, 'a' + static_cast<char>(i % 26));
    ASSERT_TRUE(writer->Append(kBaseTs + i, line).ok());
  }
  ASSERT_TRUE(writer->EndStream().ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  MemoryRandomAccessFile in(file.contents());
  auto reader = ChunkReader::Open(&in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const std::vector<BlockInfo>& blocks = (*reader)->streams()[0].blocks;
  ASSERT_GT(blocks.size(), 10u);
  for (size_t i = 0; i < blocks.size(); ++i) {
    EXPECT_LE(blocks[i].uncompressed_size, kTarget) << i;
    if (i + 1 < blocks.size()) {
      EXPECT_GT(blocks[i].uncompressed_size, kTarget - 240) << i;
    }
  }
}

TEST(ChunkWriterTest, EntryLargerThanTheTargetGetsItsOwnBlock) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.target_block_size = 4096});
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->Append(kBaseTs, "small").ok());
  ASSERT_TRUE(writer->Append(kBaseTs + 1, std::string(10000, 'x')).ok());
  ASSERT_TRUE(writer->Append(kBaseTs + 2, "small again").ok());
  ASSERT_TRUE(writer->EndStream().ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  EXPECT_EQ(writer->stats().blocks, 3u);
}

TEST(ChunkWriterTest, OutOfOrderTimestampIsRejectedAndTheWriterGoesOn) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->Append(kBaseTs + 10, "a").ok());
  Status status = writer->Append(kBaseTs + 9, "b");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("before the previous entry's"), std::string_view::npos);
  EXPECT_TRUE(writer->Append(kBaseTs + 10, "c").ok());  // equal is fine
  EXPECT_TRUE(writer->EndStream().ok());
  EXPECT_TRUE(writer->Finish(0).ok());
  EXPECT_EQ(writer->stats().entries, 2u);
}

TEST(ChunkWriterTest, OrderIsCheckedAcrossBlocks) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.target_block_size = 4096});
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->Append(kBaseTs + 100, std::string(5000, 'x')).ok());
  ASSERT_TRUE(writer->Append(kBaseTs + 101, "y").ok());  // cuts the first block
  EXPECT_EQ(writer->Append(kBaseTs + 50, "z").code(), StatusCode::kInvalidArgument);
}

TEST(ChunkWriterTest, TimestampOutsideThePartitionIsRejected) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.partition_start = 1000, .partition_end = 2000});
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  EXPECT_EQ(writer->Append(999, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->Append(2000, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(writer->Append(1000, "x").ok());
  EXPECT_TRUE(writer->Append(1999, "x").ok());
}

TEST(ChunkWriterTest, CallsOutOfOrderAreRejected) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  EXPECT_EQ(writer->Append(kBaseTs, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->EndStream().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->BeginStream(labels::LabelSet()).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  EXPECT_EQ(writer->BeginStream(kStream).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->Finish(0).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(writer->EndStream().ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  EXPECT_EQ(writer->BeginStream(kStream).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(writer->Finish(0).code(), StatusCode::kInvalidArgument);
}

TEST(ChunkWriterTest, SameStreamTwiceIsRejected) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->Append(kBaseTs, "x").ok());
  ASSERT_TRUE(writer->EndStream().ok());
  Status status = writer->BeginStream(kStream);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("already written"), std::string_view::npos) << status;
}

TEST(ChunkWriterTest, StreamWithoutEntriesLeavesNoTrace) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->EndStream().ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  MemoryRandomAccessFile in(file.contents());
  auto reader = ChunkReader::Open(&in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE((*reader)->streams().empty());
}

TEST(ChunkWriterTest, IoErrorIsSticky) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.target_block_size = 4096});
  file.FailAfter(file.contents().size());
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  ASSERT_TRUE(writer->Append(kBaseTs, std::string(5000, 'x')).ok());  // buffered
  Status status = writer->Append(kBaseTs + 1, "y");                   // seals: write fails
  EXPECT_EQ(status.code(), StatusCode::kIOError);
  EXPECT_NE(status.message().find("writing chunk /mem/chunk.silt"), std::string_view::npos);
  EXPECT_EQ(writer->Append(kBaseTs + 2, "z"), status);
  EXPECT_EQ(writer->EndStream(), status);
  EXPECT_EQ(writer->Finish(0), status);
}

TEST(ChunkWriterTest, OneAppendPerBlockPlusHeaderAndTail) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.target_block_size = 4096});
  ASSERT_TRUE(testing::AppendStreams(*writer, RandomStreams(8, 4, 200)).ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  EXPECT_EQ(static_cast<uint64_t>(file.appends()), writer->stats().blocks + 2);
  EXPECT_EQ(writer->stats().file_bytes, file.contents().size());
}

TEST(ChunkWriterTest, StatsAddUp) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file, {.target_block_size = 4096});
  std::vector<testing::TestStream> streams = RandomStreams(9, 5, 300);
  ASSERT_TRUE(testing::AppendStreams(*writer, streams).ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  uint64_t line_bytes = 0;
  for (const auto& stream : streams) {
    for (const auto& entry : stream.entries) line_bytes += entry.line.size();
  }
  const ChunkWriterStats& stats = writer->stats();
  EXPECT_EQ(stats.streams, 5u);
  EXPECT_EQ(stats.entries, 1500u);
  EXPECT_EQ(stats.line_bytes, line_bytes);
  EXPECT_GT(stats.uncompressed_bytes, line_bytes);
  EXPECT_LT(stats.compressed_bytes, stats.uncompressed_bytes);
  EXPECT_GT(stats.bloom_bytes, 0u);
}

TEST(ChunkWriterTest, BloomsCanBeTurnedOff) {
  ChunkWriterOptions options;
  options.build_blooms = false;
  MemoryRandomAccessFile in(WriteChunk(RandomStreams(10, 2, 100), options));
  auto reader = ChunkReader::Open(&in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->streams()[0].blocks[0].bloom_size, 0u);
  auto bloom = (*reader)->ReadBloom(0, 0);
  ASSERT_TRUE(bloom.ok());
  EXPECT_FALSE(bloom->has_value());
  auto may = (*reader)->BlockMayContainLiteral(0, 0, " zzz ");
  ASSERT_TRUE(may.ok());
  EXPECT_TRUE(*may);
}

TEST(ChunkWriterTest, ExtremeTimestampsRoundTrip) {
  MemoryWritableFile file;
  auto writer = NewWriter(&file);
  ASSERT_TRUE(writer->BeginStream(kStream).ok());
  int64_t lo = std::numeric_limits<int64_t>::min();
  int64_t hi = std::numeric_limits<int64_t>::max() - 1;
  ASSERT_TRUE(writer->Append(lo, "first").ok());
  ASSERT_TRUE(writer->Append(0, "middle").ok());
  ASSERT_TRUE(writer->Append(hi, "last").ok());
  ASSERT_TRUE(writer->EndStream().ok());
  ASSERT_TRUE(writer->Finish(0).ok());
  MemoryRandomAccessFile in(file.contents());
  auto reader = ChunkReader::Open(&in);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto entries = testing::ReadStream(**reader, 0, Direction::kForward);
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].ts, lo);
  EXPECT_EQ((*entries)[1].ts, 0);
  EXPECT_EQ((*entries)[2].ts, hi);
}

}  // namespace
}  // namespace silt::store
