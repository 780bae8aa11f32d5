#include "aggregator/store/chunk_block.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/store/chunk_block_builder.h"

namespace silt::store {
namespace {

struct Built {
  std::string data;
  BlockInfo info;
};

Built Build(const std::vector<std::pair<int64_t, std::string>>& entries) {
  ChunkBlockBuilder builder(/*build_bloom=*/false);
  for (const auto& [ts, line] : entries) builder.Add(ts, line, {});
  Built built;
  built.data = std::string(builder.data());
  built.info.min_ts = builder.min_ts();
  built.info.max_ts = builder.max_ts();
  built.info.entry_count = builder.entry_count();
  built.info.uncompressed_size = static_cast<uint32_t>(built.data.size());
  return built;
}

std::shared_ptr<const ChunkBlock> Parse(const Built& built) {
  auto block = ChunkBlock::Parse(built.data, built.info);
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
  BlockInfo info{.uncompressed_size = static_cast<uint32_t>(builder.data().size()),
                 .min_ts = 5,
                 .max_ts = 6,
                 .entry_count = 2};
  auto block = ChunkBlock::Parse(std::string(builder.data()), info);
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
  EXPECT_EQ(builder.data(), std::string("\x00\x02"
                                        "ab\x00"
                                        "\xAC\x02\x00\x01\x01k\x01v",
                                        13));
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
  auto block = ChunkBlock::Parse(built.data, built.info);
  ASSERT_EQ(block.status().code(), StatusCode::kCorruption);
  EXPECT_NE(block.status().message().find(fragment), std::string_view::npos) << block.status();
}

TEST(ChunkBlockTest, TruncatedEntriesAreCorruption) {
  Built built = Build(kEntries);
  for (size_t size = 0; size < built.data.size(); ++size) {
    Built cut = built;
    cut.data.resize(size);
    auto block = ChunkBlock::Parse(cut.data, cut.info);
    EXPECT_EQ(block.status().code(), StatusCode::kCorruption) << size;
  }
}

TEST(ChunkBlockTest, ExtraBytesAreCorruption) {
  Built built = Build(kEntries);
  built.data += '\0';
  ExpectCorrupt(built, "extra bytes");
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
  built.data[0] = 5;  // the first delta, always 0 as written
  built.info.max_ts = 125;
  ExpectCorrupt(built, "entry 0");
}

TEST(ChunkBlockTest, InvertedRangeIsCorruption) {
  Built built = Build(kEntries);
  built.info.min_ts = 200;
  ExpectCorrupt(built, "inverted");
}

TEST(ChunkBlockTest, HugeMetadataCountIsCorruption) {
  std::string data("\x00\x01x\xFF\xFF\xFF\x0F", 7);
  Built built{data, BlockInfo{.min_ts = 1, .max_ts = 1, .entry_count = 1}};
  ExpectCorrupt(built, "metadata count");
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
  BlockInfo info{.uncompressed_size = static_cast<uint32_t>(builder.data().size()),
                 .min_ts = 10,
                 .max_ts = 11,
                 .entry_count = 2};
  auto block = ChunkBlock::Parse(std::string(builder.data()), info);
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
  std::string data("\x00\x81\x00x\x00", 5);
  Built built{data, BlockInfo{.min_ts = 7, .max_ts = 7, .entry_count = 1}};
  auto block = Parse(built);
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(block->line(0), "x");
}

TEST(ChunkBlockTest, OverlongOrOverflowingVarintIsCorruption) {
  // An 11-byte delta, a 10th byte above 1 (past 64 bits), and a 3-byte line length running
  // past the end of the block.
  std::string overlong(10, '\x80');
  overlong += std::string("\x00\x00\x00", 3);
  ExpectCorrupt(Built{overlong, BlockInfo{.min_ts = 0, .max_ts = 0, .entry_count = 1}},
                "truncated");
  std::string overflow(9, '\xFF');
  overflow += std::string("\x02\x00\x00", 3);
  ExpectCorrupt(Built{overflow, BlockInfo{.min_ts = 0, .max_ts = 0, .entry_count = 1}},
                "truncated");
  std::string long_line("\x00\xFF\xFF\x01", 4);
  long_line += std::string(100, 'x');
  ExpectCorrupt(Built{long_line, BlockInfo{.min_ts = 0, .max_ts = 0, .entry_count = 1}},
                "truncated");
}

TEST(ChunkBlockTest, TruncatedMetadataIsCorruption) {
  // One pair announced: the name "k" is there, the value's length says 5 bytes but 1 follows.
  std::string data("\x00\x01x\x01\x01k\x05v", 8);
  ExpectCorrupt(Built{data, BlockInfo{.min_ts = 3, .max_ts = 3, .entry_count = 1}},
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
