// ChunkReader::ReadBlock with BlockReadOptions: blocks decompressed into reused (non-zeroed)
// buffers stay independent and correct, fill_cache=false leaves the cache alone, and the
// decompressed-bytes filter rejects a block before its entries are parsed.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

using testing::MemoryRandomAccessFile;
using testing::RandomStreams;
using testing::TestEntry;
using testing::TestStream;
using testing::WriteChunk;

ChunkWriterOptions SmallBlocks(Codec codec) {
  ChunkWriterOptions options;
  options.codec = codec;
  options.target_block_size = 4096;
  return options;
}

std::vector<std::string> Lines(const ChunkBlock& block) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < block.size(); ++i) lines.emplace_back(block.line(i));
  return lines;
}

// The lines of every block of stream 0, in order, as the writer was given them.
std::vector<std::vector<std::string>> ExpectedBlockLines(const ChunkReader& reader,
                                                         const TestStream& stream) {
  std::vector<std::vector<std::string>> blocks;
  size_t next = 0;
  for (const BlockInfo& info : reader.streams()[0].blocks) {
    std::vector<std::string> lines;
    for (uint32_t i = 0; i < info.entry_count; ++i) lines.push_back(stream.entries[next++].line);
    blocks.push_back(std::move(lines));
  }
  return blocks;
}

class ReadOptionsTest : public ::testing::TestWithParam<Codec> {};

TEST_P(ReadOptionsTest, BlocksReadBackToBackAreIndependentAndCorrect) {
  std::vector<TestStream> streams = RandomStreams(11, 1, 600);
  MemoryRandomAccessFile file(WriteChunk(streams, SmallBlocks(GetParam())));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto expected = ExpectedBlockLines(**reader, streams[0]);
  ASSERT_GT(expected.size(), 3u);
  // Every block twice in a row, all kept alive: freed buffers are reused by later reads, so a
  // block sharing or reusing another's bytes would show here.
  std::vector<std::shared_ptr<const ChunkBlock>> held;
  for (size_t b = 0; b < expected.size(); ++b) {
    for (int round = 0; round < 2; ++round) {
      auto block = (*reader)->ReadBlock(0, b, BlockReadOptions{.fill_cache = false});
      ASSERT_TRUE(block.ok()) << block.status();
      ASSERT_NE(*block, nullptr);
      held.push_back(*block);
    }
    ASSERT_NE(held[held.size() - 1].get(), held[held.size() - 2].get());
  }
  for (size_t b = 0; b < expected.size(); ++b) {
    EXPECT_EQ(Lines(*held[2 * b]), expected[b]) << "block " << b;
    EXPECT_EQ(Lines(*held[2 * b + 1]), expected[b]) << "block " << b << " (second read)";
  }
  // A read, dropped, then the next block read into the freed memory.
  for (size_t b = 0; b < expected.size(); ++b) {
    auto block = (*reader)->ReadBlock(0, b);
    ASSERT_TRUE(block.ok()) << block.status();
    EXPECT_EQ(Lines(**block), expected[b]);
  }
}

INSTANTIATE_TEST_SUITE_P(Codecs, ReadOptionsTest,
                         ::testing::Values(Codec::kLz4, Codec::kZstd, Codec::kNone));

TEST(ChunkReaderReadOptionsTest, NoFillCacheUsesButDoesNotInsert) {
  std::vector<TestStream> streams = RandomStreams(12, 1, 300);
  MemoryRandomAccessFile file(WriteChunk(streams, SmallBlocks(Codec::kLz4)));
  BlockCache cache(8 << 20);
  ChunkReadCounters counters;
  auto reader = ChunkReader::Open(&file, {.cache = &cache, .counters = &counters});
  ASSERT_TRUE(reader.ok()) << reader.status();
  const BlockReadOptions no_fill{.fill_cache = false};
  ASSERT_TRUE((*reader)->ReadBlock(0, 0, no_fill).ok());
  ASSERT_TRUE((*reader)->ReadBlock(0, 0, no_fill).ok());
  EXPECT_EQ(cache.charged_bytes(), 0u);
  EXPECT_EQ(cache.counters().inserts.load(), 0u);
  EXPECT_EQ(counters.blocks_read.load(), 2u);
  EXPECT_EQ(counters.block_cache_hits.load(), 0u);
  // A default read inserts; a later no-fill read is served from the cache.
  auto cached = (*reader)->ReadBlock(0, 0);
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cache.counters().inserts.load(), 1u);
  auto hit = (*reader)->ReadBlock(0, 0, no_fill);
  ASSERT_TRUE(hit.ok());
  EXPECT_EQ(hit->get(), cached->get());
  EXPECT_EQ(counters.block_cache_hits.load(), 1u);
  EXPECT_EQ(counters.blocks_read.load(), 3u);
}

TEST(ChunkReaderReadOptionsTest, FilterRejectsBlockWithoutParsingAndCountsIt) {
  std::vector<TestStream> streams = RandomStreams(13, 1, 300);
  streams[0].entries[5].line = "a line with the needle_42 in it";
  MemoryRandomAccessFile file(WriteChunk(streams, SmallBlocks(Codec::kLz4)));
  BlockCache cache(8 << 20);
  ChunkReadCounters counters;
  auto reader = ChunkReader::Open(&file, {.cache = &cache, .counters = &counters});
  ASSERT_TRUE(reader.ok()) << reader.status();
  const size_t blocks = (*reader)->streams()[0].blocks.size();
  ASSERT_GT(blocks, 2u);
  size_t calls = 0;
  DecompressedBlockFilter needle = [&calls](std::string_view bytes) {
    ++calls;
    return bytes.find("needle_42") != std::string_view::npos;
  };
  const BlockReadOptions options{.fill_cache = true, .filter = &needle};
  auto first = (*reader)->ReadBlock(0, 0, options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_NE(*first, nullptr);  // entry 5 is in block 0
  EXPECT_EQ(Lines(**first)[5], "a line with the needle_42 in it");
  for (size_t b = 1; b < blocks; ++b) {
    auto block = (*reader)->ReadBlock(0, b, options);
    ASSERT_TRUE(block.ok()) << block.status();
    EXPECT_EQ(*block, nullptr) << "block " << b;
  }
  EXPECT_EQ(calls, blocks);
  EXPECT_EQ(counters.blocks_rejected.load(), blocks - 1);
  EXPECT_EQ(cache.counters().inserts.load(), 1u);  // rejected blocks are not cached
  // The filter also applies to a cached block.
  DecompressedBlockFilter none = [](std::string_view) { return false; };
  auto cached = (*reader)->ReadBlock(0, 0, BlockReadOptions{.filter = &none});
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(*cached, nullptr);
  EXPECT_EQ(counters.block_cache_hits.load(), 1u);
  EXPECT_EQ(counters.blocks_rejected.load(), blocks);
}

TEST(ChunkReaderReadOptionsTest, FilterSeesTheBlocksLineBytes) {
  std::vector<TestStream> streams = RandomStreams(14, 1, 50);
  MemoryRandomAccessFile file(WriteChunk(streams, SmallBlocks(Codec::kZstd)));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::string seen;
  DecompressedBlockFilter keep = [&seen](std::string_view bytes) {
    seen = bytes;
    return true;
  };
  auto block = (*reader)->ReadBlock(0, 0, BlockReadOptions{.filter = &keep});
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(seen, (*block)->line_bytes());
  // Every line, back to back, and nothing else: no header or metadata byte.
  std::string lines;
  for (size_t i = 0; i < (*block)->size(); ++i) lines += (*block)->line(i);
  EXPECT_EQ(seen, lines);
  EXPECT_LT(seen.size(), (*reader)->streams()[0].blocks[0].uncompressed_size);
}

TEST(ChunkReaderReadOptionsTest, CorruptBlockIsAnErrorEvenWithAFilter) {
  std::vector<TestStream> streams = RandomStreams(15, 1, 100);
  std::string bytes = WriteChunk(streams, SmallBlocks(Codec::kLz4));
  MemoryRandomAccessFile intact(bytes);
  auto probe = ChunkReader::Open(&intact);
  ASSERT_TRUE(probe.ok());
  bytes[(*probe)->streams()[0].blocks[0].offset + 3] ^= 0x5a;
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  DecompressedBlockFilter none = [](std::string_view) { return false; };
  auto block = (*reader)->ReadBlock(0, 0, BlockReadOptions{.filter = &none});
  EXPECT_EQ(block.status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace silt::store
