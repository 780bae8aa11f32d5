// Chunk files of format version 1 (each entry's header, line and metadata in turn; no block
// trailer) are still read by this build, which writes version 2 (docs/formats/chunk.md
// "Versions"). A version 1 file is made here from a version 2 one written with codec none: every
// block is re-encoded in the interleaved layout, and the directory, the header's version and the
// footer are rewritten to match.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/store/binary_coding.h"
#include "aggregator/store/block_line_search.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/hash/xxh3.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"
#include "tests/unit/aggregator/store/memory_file.h"

namespace silt::store {
namespace {

using testing::MemoryRandomAccessFile;
using testing::TestStream;

// Sets the footer's version field and recomputes the footer's checksum.
void SetFooterVersion(uint32_t version, std::string* bytes) {
  const size_t footer = bytes->size() - kFooterSize;
  std::string field;
  PutFixed32(version, &field);
  bytes->replace(footer + kFooterVersionOffset, 4, field);
  std::string checksum;
  PutFixed64(hash::Xxh3(std::string_view(*bytes).substr(footer, kFooterChecksumOffset)), &checksum);
  bytes->replace(footer + kFooterChecksumOffset, 8, checksum);
}

// The entries of `block` in the version 1 layout.
std::string EncodeVersion1(const ChunkBlock& block) {
  std::string out;
  std::vector<labels::LabelView> metadata;
  for (size_t i = 0; i < block.size(); ++i) {
    const int64_t previous = i == 0 ? block.timestamp(0) : block.timestamp(i - 1);
    PutVarint64(static_cast<uint64_t>(block.timestamp(i) - previous), &out);
    PutVarint64(block.line(i).size(), &out);
    out += block.line(i);
    metadata.clear();
    block.AppendMetadata(i, &metadata);
    PutVarint64(metadata.size(), &out);
    for (const labels::LabelView& pair : metadata) {
      PutVarint64(pair.name.size(), &out);
      out += pair.name;
      PutVarint64(pair.value.size(), &out);
      out += pair.value;
    }
  }
  return out;
}

// `v2`, a chunk written with codec none, as a version 1 chunk of the same entries and blooms.
std::string ToVersion1(const std::string& v2) {
  MemoryRandomAccessFile file(v2);
  auto reader = ChunkReader::Open(&file);
  EXPECT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header().codec, Codec::kNone);
  ChunkFooter footer = (*reader)->footer();
  std::string header = v2.substr(0, footer.header_size);
  header[kHeaderVersionOffset] = 1;
  std::string out = header;
  std::vector<StreamInfo> streams((*reader)->streams().begin(), (*reader)->streams().end());
  for (size_t s = 0; s < streams.size(); ++s) {
    for (size_t b = 0; b < streams[s].blocks.size(); ++b) {
      BlockInfo& info = streams[s].blocks[b];
      auto block = (*reader)->ReadBlock(s, b);
      EXPECT_TRUE(block.ok()) << block.status();
      const std::string entries = EncodeVersion1(**block);
      const std::string bloom = v2.substr(info.bloom_offset, info.bloom_size);
      info.offset = out.size();
      info.compressed_size = info.uncompressed_size = static_cast<uint32_t>(entries.size());
      info.checksum = hash::Xxh3(entries);
      out += entries;
      if (info.bloom_size != 0) info.bloom_offset = out.size();
      out += bloom;
    }
  }
  std::string directory;
  EncodeDirectory(streams, &directory);
  footer.header_checksum = hash::Xxh3(header);
  footer.directory_offset = out.size();
  footer.directory_size = directory.size();
  footer.directory_checksum = hash::Xxh3(directory);
  out += directory;
  EncodeFooter(footer, &out);
  SetFooterVersion(1, &out);
  return out;
}

std::vector<TestStream> Streams() { return testing::RandomStreams(21, 3, 300); }

std::string Version2Chunk() {
  ChunkWriterOptions options;
  options.codec = Codec::kNone;
  options.target_block_size = 4096;
  return testing::WriteChunk(Streams(), options, 3);
}

TEST(ChunkReaderVersion1Test, EveryEntryOfAVersion1ChunkIsReadInBothDirections) {
  const std::string v1 = ToVersion1(Version2Chunk());
  MemoryRandomAccessFile file(v1);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  EXPECT_EQ((*reader)->header().version, 1);
  EXPECT_EQ((*reader)->footer().version, 1);
  const std::vector<TestStream> streams = Streams();
  ASSERT_EQ((*reader)->streams().size(), streams.size());
  for (size_t s = 0; s < streams.size(); ++s) {
    auto index = (*reader)->FindStream(streams[s].labels);
    ASSERT_TRUE(index.has_value());
    ASSERT_GT((*reader)->streams()[*index].blocks.size(), 1u);
    auto forward = testing::ReadStream(**reader, *index, Direction::kForward);
    ASSERT_TRUE(forward.ok()) << forward.status();
    EXPECT_EQ(*forward, streams[s].entries);
    auto backward = testing::ReadStream(**reader, *index, Direction::kBackward);
    ASSERT_TRUE(backward.ok()) << backward.status();
    EXPECT_EQ(backward->size(), streams[s].entries.size());
    EXPECT_EQ(backward->front(), streams[s].entries.back());
  }
}

TEST(ChunkReaderVersion1Test, LineSearchAndTheBytesFilterSeeTheWholeVersion1Block) {
  const std::string v1 = ToVersion1(Version2Chunk());
  MemoryRandomAccessFile file(v1);
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::string seen;
  DecompressedBlockFilter keep = [&seen](std::string_view bytes) {
    seen = bytes;
    return true;
  };
  auto block = (*reader)->ReadBlock(0, 0, BlockReadOptions{.filter = &keep});
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ(seen, (*block)->data());  // headers and metadata between the lines
  EXPECT_EQ((*block)->line_bytes(), (*block)->data());
  // The block search agrees with a line-by-line search on the interleaved layout too.
  for (const std::string literal : {"error", "level=warn", "GET/", "trace_id", "\"n\":"}) {
    std::vector<uint8_t> keep_lines;
    const std::vector<std::vector<std::string>> groups = {{literal}};
    SelectLinesContaining(**block, groups, &keep_lines);
    for (size_t i = 0; i < (*block)->size(); ++i) {
      EXPECT_EQ(keep_lines[i] != 0, (*block)->line(i).find(literal) != std::string_view::npos)
          << literal << " in entry " << i;
    }
  }
}

TEST(ChunkReaderVersion1Test, HeaderAndFooterMustAgreeOnTheVersion) {
  std::string bytes = Version2Chunk();
  SetFooterVersion(1, &bytes);
  MemoryRandomAccessFile file(bytes, "/data/tenants/t/2024010100/chunk-1.silt");
  Status status = ChunkReader::Open(&file).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
  EXPECT_NE(status.message().find("header says format version 2, footer says 1"),
            std::string_view::npos)
      << status;
  SetFooterVersion(3, &bytes);
  status = ChunkReader::Open(&file).status();
  EXPECT_EQ(status.code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace silt::store
