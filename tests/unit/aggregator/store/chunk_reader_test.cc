#include "aggregator/store/chunk_reader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "aggregator/store/chunk_writer.h"
#include "shared/hash/xxh3.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

using testing::MemoryRandomAccessFile;
using testing::RandomStreams;
using testing::ReadStream;
using testing::TestEntry;
using testing::TestStream;
using testing::WriteChunk;

ChunkWriterOptions SmallBlocks(Codec codec) {
  ChunkWriterOptions options;
  options.tenant = "team-a";
  options.codec = codec;
  options.target_block_size = 16 * 1024;
  return options;
}

void ExpectRoundTrip(Codec codec) {
  std::vector<TestStream> streams = RandomStreams(1, 30, 1500);
  std::string bytes = WriteChunk(streams, SmallBlocks(codec), /*wal_seq_hi=*/77);
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header().tenant, "team-a");
  EXPECT_EQ((*reader)->header().codec, codec);
  EXPECT_EQ((*reader)->footer().wal_seq_hi, 77u);
  EXPECT_EQ((*reader)->footer().entry_count, 30u * 1500);
  ASSERT_EQ((*reader)->streams().size(), streams.size());
  for (size_t s = 0; s < streams.size(); ++s) {
    const StreamInfo& info = (*reader)->streams()[s];
    EXPECT_EQ(info.labels, streams[s].labels);
    EXPECT_EQ(info.fingerprint, streams[s].labels.Fingerprint());
    EXPECT_EQ(info.min_ts, streams[s].entries.front().ts);
    EXPECT_EQ(info.max_ts, streams[s].entries.back().ts);
    EXPECT_GT(info.blocks.size(), 2u);
    auto forward = ReadStream(**reader, s, Direction::kForward);
    ASSERT_TRUE(forward.ok()) << forward.status();
    EXPECT_EQ(*forward, streams[s].entries);
  }
}

TEST(ChunkReaderTest, RoundTripManyStreamsAndBlocksLz4) { ExpectRoundTrip(Codec::kLz4); }
TEST(ChunkReaderTest, RoundTripManyStreamsAndBlocksZstd) { ExpectRoundTrip(Codec::kZstd); }
TEST(ChunkReaderTest, RoundTripManyStreamsAndBlocksUncompressed) { ExpectRoundTrip(Codec::kNone); }

TEST(ChunkReaderTest, BackwardIterationYieldsTheReverseOrder) {
  std::vector<TestStream> streams = RandomStreams(2, 3, 3000);
  std::string bytes = WriteChunk(streams, SmallBlocks(Codec::kLz4));
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (size_t s = 0; s < streams.size(); ++s) {
    auto backward = ReadStream(**reader, s, Direction::kBackward);
    ASSERT_TRUE(backward.ok()) << backward.status();
    std::vector<TestEntry> expected = streams[s].entries;
    std::reverse(expected.begin(), expected.end());
    EXPECT_EQ(*backward, expected);
  }
}

TEST(ChunkReaderTest, FindStreamByLabels) {
  std::vector<TestStream> streams = RandomStreams(3, 10, 5);
  MemoryRandomAccessFile file(WriteChunk(streams, ChunkWriterOptions{}));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (size_t s = 0; s < streams.size(); ++s) {
    EXPECT_EQ((*reader)->FindStream(streams[s].labels), s);
  }
  EXPECT_EQ((*reader)->FindStream(labels::LabelSet::Of({{"app", "nope"}})), std::nullopt);
}

TEST(ChunkReaderTest, EmptyChunkIsReadable) {
  MemoryRandomAccessFile file(WriteChunk({}, ChunkWriterOptions{}, 5));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_TRUE((*reader)->streams().empty());
  EXPECT_EQ((*reader)->footer().wal_seq_hi, 5u);
  EXPECT_EQ((*reader)->footer().entry_count, 0u);
}

TEST(ChunkReaderTest, CacheServesRepeatedReads) {
  std::vector<TestStream> streams = RandomStreams(4, 2, 100);
  MemoryRandomAccessFile file(WriteChunk(streams, ChunkWriterOptions{}));
  BlockCache cache(8 << 20);
  ChunkReadCounters counters;
  auto reader = ChunkReader::Open(&file, {.cache = &cache, .counters = &counters});
  ASSERT_TRUE(reader.ok()) << reader.status();
  auto first = (*reader)->ReadBlock(1, 0);
  auto second = (*reader)->ReadBlock(1, 0);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->get(), second->get());
  EXPECT_EQ(counters.blocks_read.load(), 1u);
  EXPECT_EQ(counters.block_cache_hits.load(), 1u);
  EXPECT_EQ(counters.chunks_opened.load(), 1u);
}

// A small chunk with several blocks per stream, for the damage tests.
std::string SmallChunk() {
  ChunkWriterOptions options;
  options.target_block_size = 4096;
  return WriteChunk(RandomStreams(5, 3, 150), options, 9);
}

Status OpenStatus(const std::string& bytes, ChunkReadCounters* counters = nullptr) {
  MemoryRandomAccessFile file(bytes, "/data/tenants/t/2024010100/chunk-1.silt");
  return ChunkReader::Open(&file, {.counters = counters}).status();
}

void ExpectEveryBitFlipFailsOpen(std::string bytes, size_t begin, size_t end,
                                 std::string_view fragment) {
  for (size_t i = begin; i < end; ++i) {
    for (int bit : {0, 5}) {
      bytes[i] ^= static_cast<char>(1 << bit);
      Status status = OpenStatus(bytes);
      bytes[i] ^= static_cast<char>(1 << bit);
      ASSERT_EQ(status.code(), StatusCode::kCorruption) << "byte " << i << ": " << status;
      EXPECT_NE(status.message().find("/data/tenants/t/2024010100/chunk-1.silt"),
                std::string_view::npos)
          << status;
      EXPECT_NE(status.message().find(fragment), std::string_view::npos) << status;
    }
  }
}

TEST(ChunkReaderTest, BitFlipInFooterFailsOpen) {
  std::string bytes = SmallChunk();
  ExpectEveryBitFlipFailsOpen(bytes, bytes.size() - kFooterSize, bytes.size(), "footer");
}

TEST(ChunkReaderTest, BitFlipInDirectoryFailsOpen) {
  std::string bytes = SmallChunk();
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  const ChunkFooter& footer = (*reader)->footer();
  ExpectEveryBitFlipFailsOpen(bytes, footer.directory_offset,
                              footer.directory_offset + footer.directory_size, "directory");
}

TEST(ChunkReaderTest, BitFlipInHeaderFailsOpen) {
  std::string bytes = SmallChunk();
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  ExpectEveryBitFlipFailsOpen(bytes, 0, (*reader)->footer().header_size, "header");
}

TEST(ChunkReaderTest, BitFlipInBlockFailsOnlyThatBlock) {
  std::string bytes = SmallChunk();
  {
    MemoryRandomAccessFile file(bytes);
    auto reader = ChunkReader::Open(&file);
    ASSERT_TRUE(reader.ok()) << reader.status();
    const BlockInfo& victim = (*reader)->streams()[1].blocks[1];
    bytes[victim.offset + victim.compressed_size / 2] ^= 0x10;
  }
  MemoryRandomAccessFile file(bytes, "/data/chunk-7.silt");
  ChunkReadCounters counters;
  auto reader = ChunkReader::Open(&file, {.counters = &counters});
  ASSERT_TRUE(reader.ok()) << reader.status();
  for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
    for (size_t b = 0; b < (*reader)->streams()[s].blocks.size(); ++b) {
      auto block = (*reader)->ReadBlock(s, b);
      if (s == 1 && b == 1) {
        ASSERT_EQ(block.status().code(), StatusCode::kCorruption);
        std::string message(block.status().message());
        EXPECT_NE(message.find("/data/chunk-7.silt"), std::string::npos) << message;
        EXPECT_NE(message.find("block 1 of stream {app=\"app1\", instance=\"i-1\"}"),
                  std::string::npos)
            << message;
        EXPECT_NE(message.find("checksum mismatch"), std::string::npos) << message;
      } else {
        EXPECT_TRUE(block.ok()) << block.status();
      }
    }
  }
  EXPECT_EQ(counters.corrupt_blocks.load(), 1u);
}

TEST(ChunkReaderTest, BitFlipInBloomFailsOnlyThatBloom) {
  std::string bytes = SmallChunk();
  BlockInfo victim;
  {
    MemoryRandomAccessFile file(bytes);
    auto reader = ChunkReader::Open(&file);
    ASSERT_TRUE(reader.ok()) << reader.status();
    victim = (*reader)->streams()[0].blocks[0];
  }
  ASSERT_GT(victim.bloom_size, 0u);
  bytes[victim.bloom_offset + victim.bloom_size - 1] ^= 0x01;
  MemoryRandomAccessFile file(bytes);
  ChunkReadCounters counters;
  auto reader = ChunkReader::Open(&file, {.counters = &counters});
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->ReadBloom(0, 0).status().code(), StatusCode::kCorruption);
  EXPECT_EQ((*reader)->BlockMayContainLiteral(0, 0, " disk ").status().code(),
            StatusCode::kCorruption);
  EXPECT_TRUE((*reader)->ReadBlock(0, 0).ok());
  EXPECT_TRUE((*reader)->ReadBloom(0, 1).ok());
  EXPECT_EQ(counters.corrupt_blooms.load(), 2u);
}

TEST(ChunkReaderTest, TruncationAtEveryByteIsCorruption) {
  std::string bytes = SmallChunk();
  ChunkReadCounters counters;
  for (size_t size = 0; size < bytes.size(); ++size) {
    Status status = OpenStatus(bytes.substr(0, size), &counters);
    ASSERT_EQ(status.code(), StatusCode::kCorruption) << "size " << size << ": " << status;
  }
  EXPECT_EQ(counters.corrupt_chunks.load(), bytes.size());
}

TEST(ChunkReaderTest, TruncatedFileNamesItsSize) {
  std::string bytes = SmallChunk();
  Status status = OpenStatus(bytes.substr(0, bytes.size() - 1));
  EXPECT_NE(status.message().find("truncated"), std::string_view::npos) << status;
  status = OpenStatus(bytes.substr(0, 10));
  EXPECT_NE(status.message().find("10 bytes is too small"), std::string_view::npos) << status;
}

TEST(ChunkReaderTest, DamagedChunkDoesNotAffectAnotherChunk) {
  std::vector<TestStream> good_streams = RandomStreams(6, 2, 50);
  std::string good = WriteChunk(good_streams, ChunkWriterOptions{});
  std::string bad = SmallChunk();
  bad[bad.size() - kFooterSize - 10] ^= 0x40;  // inside the directory
  std::vector<std::unique_ptr<MemoryRandomAccessFile>> files;
  files.push_back(std::make_unique<MemoryRandomAccessFile>(bad, "/d/chunk-1.silt"));
  files.push_back(std::make_unique<MemoryRandomAccessFile>(good, "/d/chunk-2.silt"));
  ChunkReadCounters counters;
  std::vector<Status> errors;
  size_t entries = 0;
  for (const auto& file : files) {  // the caller's loop: report and skip a bad chunk
    auto reader = ChunkReader::Open(file.get(), {.counters = &counters});
    if (!reader.ok()) {
      errors.push_back(reader.status());
      continue;
    }
    for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
      auto read = ReadStream(**reader, s, Direction::kForward);
      ASSERT_TRUE(read.ok()) << read.status();
      EXPECT_EQ(*read, good_streams[s].entries);
      entries += read->size();
    }
  }
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message().find("/d/chunk-1.silt: directory"), std::string_view::npos)
      << errors[0];
  EXPECT_EQ(entries, 100u);
  EXPECT_EQ(counters.corrupt_chunks.load(), 1u);
  EXPECT_EQ(counters.chunks_opened.load(), 1u);
}

// Rewrites the directory of a chunk through `mutate`, fixing its checksum and the footer's, so
// that only the reader's cross-checks can catch the lie.
std::string WithDirectory(const std::string& bytes,
                          const std::function<void(std::vector<StreamInfo>&)>& mutate) {
  auto footer = DecodeFooter(std::string_view(bytes).substr(bytes.size() - kFooterSize));
  EXPECT_TRUE(footer.ok());
  auto streams = DecodeDirectory(
      std::string_view(bytes).substr(footer->directory_offset, footer->directory_size));
  EXPECT_TRUE(streams.ok());
  mutate(*streams);
  std::string out = bytes.substr(0, footer->directory_offset);
  std::string directory;
  EncodeDirectory(*streams, &directory);
  ChunkFooter new_footer = *footer;
  new_footer.directory_size = directory.size();
  new_footer.directory_checksum = hash::Xxh3(directory);
  out += directory;
  EncodeFooter(new_footer, &out);
  return out;
}

TEST(ChunkReaderTest, BlockOutsideTheBlockRegionIsCorruption) {
  std::string bytes = WithDirectory(SmallChunk(), [](std::vector<StreamInfo>& streams) {
    streams[0].blocks[0].offset = 1u << 30;
  });
  Status status = OpenStatus(bytes);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("block 0 of stream"), std::string_view::npos) << status;
}

TEST(ChunkReaderTest, OversizedBlockIsRefusedAtOpen) {
  std::string bytes = WithDirectory(SmallChunk(), [](std::vector<StreamInfo>& streams) {
    streams[2].blocks[0].uncompressed_size = 0xFFFFFFFF;
  });
  EXPECT_EQ(OpenStatus(bytes).code(), StatusCode::kCorruption);
}

TEST(ChunkReaderTest, FooterCountsMustMatchTheDirectory) {
  std::string bytes =
      WithDirectory(SmallChunk(), [](std::vector<StreamInfo>& streams) { streams.pop_back(); });
  Status status = OpenStatus(bytes);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("but the footer counts"), std::string_view::npos) << status;
}

TEST(ChunkReaderTest, WrongUncompressedSizeIsBlockCorruption) {
  std::string bytes = WithDirectory(SmallChunk(), [](std::vector<StreamInfo>& streams) {
    streams[0].blocks[0].uncompressed_size -= 1;
  });
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->ReadBlock(0, 0).status().code(), StatusCode::kCorruption);
  EXPECT_TRUE((*reader)->ReadBlock(0, 1).ok());
}

TEST(ChunkReaderTest, WrongEntryCountIsBlockCorruption) {
  std::string bytes = WithDirectory(SmallChunk(), [](std::vector<StreamInfo>& streams) {
    streams[0].blocks[0].entry_count += 1;
    streams[0].entry_count += 1;
  });
  // The footer's entry count no longer matches; fix it too so Open succeeds.
  auto footer = DecodeFooter(std::string_view(bytes).substr(bytes.size() - kFooterSize));
  ASSERT_TRUE(footer.ok());
  footer->entry_count += 1;
  bytes.resize(bytes.size() - kFooterSize);
  EncodeFooter(*footer, &bytes);
  MemoryRandomAccessFile file(bytes);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  Status status = (*reader)->ReadBlock(0, 0).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("truncated"), std::string_view::npos) << status;
}

TEST(ChunkReaderTest, NotAChunkFileIsCorruption) {
  std::string bytes(4096, 'x');
  Status status = OpenStatus(bytes);
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("not a chunk file"), std::string_view::npos) << status;
}

}  // namespace
}  // namespace silt::store
