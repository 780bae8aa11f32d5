#include "aggregator/store/chunk_block.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_block_builder.h"

namespace silt::store {
namespace {

struct Built {
  std::string data;
  BlockInfo info;
  uint8_t version = kChunkFormatVersion;
};

// A version 2 block from its parts: the lines back to back, every entry's header, then the u32
// size of the headers.
std::string V2Block(std::string_view lines, std::string_view headers) {
  std::string out(lines);
  out.append(headers);
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(headers.size() >> (8 * i)));
  return out;
}

// The same entries as a version 1 block: each entry's header, line and metadata in turn.
std::string V1Block(const std::vector<std::pair<int64_t, std::string>>& entries) {
  std::string out;
  int64_t previous = entries.empty() ? 0 : entries.front().first;
  for (const auto& [ts, line] : entries) {
    PutVarint64(static_cast<uint64_t>(ts - previous), &out);
    PutVarint64(line.size(), &out);
    out += line;
    out += '\0';  // no metadata
    previous = ts;
  }
  return out;
}

Built Build(const std::vector<std::pair<int64_t, std::string>>& entries) {
  ChunkBlockBuilder builder(/*build_bloom=*/false);
  for (const auto& [ts, line] : entries) builder.Add(ts, line, {});
  Built built;
  built.data = std::string(builder.Finish());
  built.info.min_ts = builder.min_ts();
  built.info.max_ts = builder.max_ts();
  built.info.entry_count = builder.entry_count();
  built.info.uncompressed_size = static_cast<uint32_t>(built.data.size());
  return built;
}

std::shared_ptr<const ChunkBlock> Parse(const Built& built) {
  auto block = ChunkBlock::Parse(built.data, built.info, built.version);
  EXPECT_TRUE(block.ok()) << block.status();
  return block.ok() ? *block : nullptr;
}

// Builds `entries` into a block, parses it and checks every timestamp and line comes back.
void ExpectParsedBack(const std::vector<std::pair<int64_t, std::string>>& entries) {
  auto block = Parse(Build(entries));
  ASSERT_NE(block, nullptr);
  ASSERT_EQ(block->size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(block->timestamp(i), entries[i].first) << i;
    EXPECT_EQ(block->line(i), entries[i].second) << i;
  }
}

const std::vector<std::pair<int64_t, std::string>> kEntries = {
    {100, "a"}, {100, "b"}, {105, "c"}, {110, "d"}, {110, "e"}, {110, "f"}, {120, "g"}};

std::string Walk(ChunkBlockIterator it) {
  std::string out;
  for (; it.Valid(); it.Next()) out += it.line();
  return out;
}

TEST(ChunkBlockTest, ForwardIterationKeepsInsertionOrderForEqualTimestamps) {
  auto block = Parse(Build(kEntries));
  EXPECT_EQ(Walk(ChunkBlockIterator(block, Direction::kForward)), "abcdefg");
}

TEST(ChunkBlockTest, BackwardIterationIsTheExactReverse) {
  auto block = Parse(Build(kEntries));
  EXPECT_EQ(Walk(ChunkBlockIterator(block, Direction::kBackward)), "gfedcba");
}

TEST(ChunkBlockTest, SeekForwardFindsTheFirstEntryAtOrAfter) {
  auto block = Parse(Build(kEntries));
  ChunkBlockIterator it(block, Direction::kForward);
  it.Seek(110);
  EXPECT_EQ(Walk(it), "defg");
  it.Seek(106);
  EXPECT_EQ(Walk(it), "defg");
  it.Seek(0);
  EXPECT_EQ(Walk(it), "abcdefg");
  it.Seek(121);
  EXPECT_FALSE(it.Valid());
}

TEST(ChunkBlockTest, SeekBackwardFindsTheLastEntryAtOrBefore) {
  auto block = Parse(Build(kEntries));
  ChunkBlockIterator it(block, Direction::kBackward);
  it.Seek(110);
  EXPECT_EQ(Walk(it), "fedcba");
  it.Seek(109);
  EXPECT_EQ(Walk(it), "cba");
  it.Seek(1000);
  EXPECT_EQ(Walk(it), "gfedcba");
  it.Seek(99);
  EXPECT_FALSE(it.Valid());
}

TEST(ChunkBlockTest, MetadataRoundTrips) {
  ChunkBlockBuilder builder(false);
  std::vector<labels::LabelView> pairs = {{"trace_id", "abc"}, {"user", ""}, {"k", "v=w"}};
  builder.Add(5, "line one", pairs);
  builder.Add(6, "line two", {});
  BlockInfo info{.uncompressed_size = static_cast<uint32_t>(builder.Finish().size()),
                 .min_ts = 5,
                 .max_ts = 6,
                 .entry_count = 2};
  auto block = ChunkBlock::Parse(std::string(builder.Finish()), info);
  ASSERT_TRUE(block.ok()) << block.status();
  std::vector<labels::LabelView> read;
  (*block)->AppendMetadata(0, &read);
  EXPECT_EQ(read, pairs);
  EXPECT_EQ((*block)->metadata_count(1), 0u);
  EXPECT_EQ((*block)->line(1), "line two");
}

TEST(ChunkBlockTest, EncodingIsDeltaVarintsAndLengthPrefixes) {
  ChunkBlockBuilder builder(false);
  builder.Add(1000, "ab", {});
  builder.Add(1300, "", std::vector<labels::LabelView>{{"k", "v"}});
  // The lines, then the headers (delta, length, metadata count and pairs), then their size.
  EXPECT_EQ(builder.Finish(), std::string("ab"
                                          "\x00\x02\x00"
                                          "\xAC\x02\x00\x01\x01k\x01v"
                                          "\x0B\x00\x00\x00",
                                          17));
  EXPECT_EQ(builder.size(), 17u);
}

TEST(ChunkBlockTest, LineBytesHoldEveryLineAndNothingElse) {
  ChunkBlockBuilder builder(false);
  builder.Add(1, "first", std::vector<labels::LabelView>{{"k", "v"}});
  builder.Add(2, "", {});
  builder.Add(3, "third", {});
  const std::string data(builder.Finish());
  EXPECT_EQ(ChunkBlock::LineBytes(data, kChunkFormatVersion), "firstthird");
  EXPECT_EQ(ChunkBlock::LineBytes(data, 1), data);  // version 1: the whole block
  auto block = ChunkBlock::Parse(data, BlockInfo{.min_ts = 1, .max_ts = 3, .entry_count = 3});
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ((*block)->line_bytes(), "firstthird");
  EXPECT_EQ((*block)->line(2).data(), (*block)->data().data() + 5);
  // A trailer that does not fit leaves the whole block (Parse refuses it).
  const std::string_view bad_trailer("ab\xFF\x00\x00\x00", 6);
  EXPECT_EQ(ChunkBlock::LineBytes(bad_trailer, kChunkFormatVersion), bad_trailer);
  EXPECT_EQ(ChunkBlock::LineBytes("ab", kChunkFormatVersion), "ab");
}

TEST(ChunkBlockTest, VersionOneBlocksAreStillRead) {
  // Written before lines and headers were stored apart: each header before its line.
  Built built{V1Block(kEntries), BlockInfo{.min_ts = 100, .max_ts = 120, .entry_count = 7}, 1};
  auto block = Parse(built);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(Walk(ChunkBlockIterator(block, Direction::kForward)), "abcdefg");
  EXPECT_EQ(block->timestamp(2), 105);
  EXPECT_EQ(block->line_bytes(), block->data());
  // The same bytes read as version 2 are refused, not misread.
  built.version = kChunkFormatVersion;
  EXPECT_EQ(ChunkBlock::Parse(built.data, built.info, built.version).status().code(),
            StatusCode::kCorruption);
}

TEST(ChunkBlockTest, BloomHoldsTheTermsOfEveryEntry) {
  ChunkBlockBuilder builder(true);
  builder.Add(1, "GET /health", {});
  builder.Add(2, "level=error", std::vector<labels::LabelView>{{"trace_id", "t1"}});
  std::string bytes;
  builder.AppendBloom(0.01, &bytes);
  auto filter = bloom::BloomFilter::Deserialize(bytes);
  ASSERT_TRUE(filter.ok()) << filter.status();
  for (std::string_view term : {"GET", "health", "level", "error", "level=error", "traceid=t1"}) {
    EXPECT_TRUE(filter->MayContain(term)) << term;
  }
  builder.Reset();
  EXPECT_TRUE(builder.empty());
  std::string empty;
  builder.AppendBloom(0.01, &empty);
  EXPECT_FALSE(bloom::BloomFilter::Deserialize(empty)->MayContain("GET"));
}

void ExpectCorrupt(const Built& built, std::string_view fragment) {
  auto block = ChunkBlock::Parse(built.data, built.info, built.version);
  ASSERT_EQ(block.status().code(), StatusCode::kCorruption);
  EXPECT_NE(block.status().message().find(fragment), std::string_view::npos) << block.status();
}

TEST(ChunkBlockTest, TruncatedEntriesAreCorruption) {
  Built built = Build(kEntries);
  Built v1{V1Block(kEntries), built.info, 1};
  for (const Built& whole : {built, v1}) {
    for (size_t size = 0; size < whole.data.size(); ++size) {
      Built cut = whole;
      cut.data.resize(size);
      auto block = ChunkBlock::Parse(cut.data, cut.info, cut.version);
      EXPECT_EQ(block.status().code(), StatusCode::kCorruption) << size;
    }
  }
}

TEST(ChunkBlockTest, ExtraBytesAreCorruption) {
  const BlockInfo info{.min_ts = 5, .max_ts = 5, .entry_count = 1};
  ExpectCorrupt(Built{V2Block("x", std::string("\x00\x01\x00\x00", 4)), info},
                "extra bytes after the last header");
  ExpectCorrupt(Built{V2Block("xyz", std::string("\x00\x01\x00", 3)), info},
                "2 bytes of lines that no header accounts for");
  Built v1 = Build(kEntries);
  v1.data = V1Block(kEntries) + '\0';
  v1.version = 1;
  ExpectCorrupt(v1, "extra bytes");
}

TEST(ChunkBlockTest, TrailerThatDoesNotFitIsCorruption) {
  const BlockInfo info{.min_ts = 5, .max_ts = 5, .entry_count = 1};
  std::string data = V2Block("x", std::string("\x00\x01\x00", 3));
  data[data.size() - 4] = 5;  // 5 bytes of headers in a block with 4 before its trailer
  ExpectCorrupt(Built{data, info}, "exceeds the block's other 4 bytes");
  ExpectCorrupt(Built{"abc", info}, "shorter than its 4-byte trailer");
  // A header whose line runs past the lines.
  ExpectCorrupt(Built{V2Block("x", std::string("\x00\x02\x00", 3)), info},
                "runs past the block's lines");
}

TEST(ChunkBlockTest, TimestampBeyondTheBlockRangeIsCorruption) {
  Built built = Build(kEntries);
  built.info.max_ts = 115;
  ExpectCorrupt(built, "outside the block's time range");
}

TEST(ChunkBlockTest, LastTimestampMustBeTheBlockMaximum) {
  Built built = Build(kEntries);
  built.info.max_ts = 130;
  ExpectCorrupt(built, "last timestamp");
}

TEST(ChunkBlockTest, FirstEntryMustStartAtTheBlockMinimum) {
  Built built = Build(kEntries);
  built.data[7] = 5;  // after the 7 one-byte lines: the first delta, always 0 as written
  built.info.max_ts = 125;
  ExpectCorrupt(built, "entry 0");
}

TEST(ChunkBlockTest, InvertedRangeIsCorruption) {
  Built built = Build(kEntries);
  built.info.min_ts = 200;
  ExpectCorrupt(built, "inverted");
}

TEST(ChunkBlockTest, HugeMetadataCountIsCorruption) {
  const BlockInfo info{.min_ts = 1, .max_ts = 1, .entry_count = 1};
  ExpectCorrupt(Built{V2Block("x", std::string("\x00\x01\xFF\xFF\xFF\x0F", 6)), info},
                "metadata count");
  ExpectCorrupt(Built{std::string("\x00\x01x\xFF\xFF\xFF\x0F", 7), info, 1}, "metadata count");
}

TEST(ChunkBlockTest, MemoryBytesCountsDataAndIndex) {
  auto block = Parse(Build(kEntries));
  EXPECT_GE(block->MemoryBytes(), 7 * 24u + 7u);
}

TEST(ChunkBlockTest, SkipMovesInTheWalksDirection) {
  auto block = Parse(Build(kEntries));
  ChunkBlockIterator forward(block, Direction::kForward);
  forward.Skip(3);
  EXPECT_EQ(Walk(forward), "defg");
  forward = ChunkBlockIterator(block, Direction::kForward);
  forward.Skip(7);
  EXPECT_FALSE(forward.Valid());
  ChunkBlockIterator backward(block, Direction::kBackward);
  backward.Skip(2);
  EXPECT_EQ(Walk(backward), "edcba");
  backward = ChunkBlockIterator(block, Direction::kBackward);
  backward.Skip(7);
  EXPECT_FALSE(backward.Valid());
  EXPECT_EQ(block->line_size(4), 1u);
}

TEST(ChunkBlockTest, MetadataBytesSumsNamesAndValues) {
  ChunkBlockBuilder builder(/*build_bloom=*/false);
  const std::vector<labels::LabelView> two = {{"pod", "p-1"}, {"trace", "abcdef"}};
  builder.Add(10, "with", two);
  builder.Add(11, "without", {});
  BlockInfo info{.uncompressed_size = static_cast<uint32_t>(builder.Finish().size()),
                 .min_ts = 10,
                 .max_ts = 11,
                 .entry_count = 2};
  auto block = ChunkBlock::Parse(std::string(builder.Finish()), info);
  ASSERT_TRUE(block.ok()) << block.status();
  EXPECT_EQ((*block)->MetadataBytes(0), 3u + 3u + 5u + 6u);
  EXPECT_EQ((*block)->MetadataBytes(1), 0u);
}

TEST(ChunkBlockTest, ParsesLineLengthsAroundOneAndTwoVarintBytes) {
  // Lengths of 1, 2 and 3 varint bytes mixed, as lines near 128 bytes are; the last entry's
  // length varint sits in the block's final bytes, where fewer than 2 bytes may follow it.
  std::vector<std::pair<int64_t, std::string>> entries;
  const std::vector<size_t> sizes = {127, 128, 0, 129, 255, 256, 16383, 16384, 1, 130, 127, 128};
  for (size_t i = 0; i < sizes.size(); ++i) {
    entries.emplace_back(static_cast<int64_t>(i),
                         std::string(sizes[i], static_cast<char>('a' + i)));
  }
  entries.emplace_back(20, "");  // a 1-byte length followed only by the metadata count
  ExpectParsedBack(entries);
}

TEST(ChunkBlockTest, NonMinimalTwoByteLengthIsRead) {
  // 0x81 0x00 encodes 1 in two bytes; the reader accepts it, as ByteReader does.
  const BlockInfo info{.min_ts = 7, .max_ts = 7, .entry_count = 1};
  auto block = Parse(Built{V2Block("x", std::string("\x00\x81\x00\x00", 4)), info});
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->line(0), "x");
  auto v1 = Parse(Built{std::string("\x00\x81\x00x\x00", 5), info, 1});
  ASSERT_NE(v1, nullptr);
  EXPECT_EQ(v1->line(0), "x");
}

TEST(ChunkBlockTest, OverlongOrOverflowingVarintIsCorruption) {
  // An 11-byte delta, a 10th byte above 1 (past 64 bits), and a 3-byte line length running
  // past the end of the block.
  const BlockInfo info{.min_ts = 0, .max_ts = 0, .entry_count = 1};
  std::string overlong(10, '\x80');
  overlong += std::string("\x00\x00\x00", 3);
  ExpectCorrupt(Built{V2Block("", overlong), info}, "truncated header");
  ExpectCorrupt(Built{overlong, info, 1}, "truncated");
  std::string overflow(9, '\xFF');
  overflow += std::string("\x02\x00\x00", 3);
  ExpectCorrupt(Built{V2Block("", overflow), info}, "truncated header");
  ExpectCorrupt(Built{overflow, info, 1}, "truncated");
  ExpectCorrupt(Built{V2Block(std::string(100, 'x'), std::string("\x00\xFF\xFF\x01\x00", 5)),
                      info},
                "line of 32767 bytes runs past the block's lines");
  std::string long_line("\x00\xFF\xFF\x01", 4);
  long_line += std::string(100, 'x');
  ExpectCorrupt(Built{long_line, info, 1}, "truncated");
}

TEST(ChunkBlockTest, TruncatedMetadataIsCorruption) {
  // One pair announced: the name "k" is there, the value's length says 5 bytes but 1 follows.
  const BlockInfo info{.min_ts = 3, .max_ts = 3, .entry_count = 1};
  ExpectCorrupt(Built{V2Block("x", std::string("\x00\x01\x01\x01k\x05v", 7)), info},
                "truncated structured metadata");
  ExpectCorrupt(Built{std::string("\x00\x01x\x01\x01k\x05v", 8), info, 1},
                "truncated structured metadata");
}

TEST(ChunkBlockTest, ParsesVarintsOfEveryLength) {
  // Timestamp deltas of 1 to 9 varint bytes and line lengths of 1 to 3.
  std::vector<std::pair<int64_t, std::string>> entries;
  int64_t ts = 0;
  const std::vector<int64_t> deltas = {0,
                                       1,
                                       127,
                                       128,
                                       16383,
                                       16384,
                                       int64_t{1} << 35,
                                       int64_t{1} << 49,
                                       int64_t{1} << 56,
                                       int64_t{1} << 62};
  const std::vector<size_t> sizes = {0, 1, 127, 128, 16383, 16384, 3, 0, 200, 5};
  for (size_t i = 0; i < deltas.size(); ++i) {
    ts += deltas[i];
    entries.emplace_back(ts, std::string(sizes[i], static_cast<char>('a' + i)));
  }
  ExpectParsedBack(entries);
}

}  // namespace
}  // namespace silt::store
