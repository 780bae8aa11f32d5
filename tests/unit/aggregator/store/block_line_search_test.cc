#include "aggregator/store/block_line_search.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "aggregator/store/chunk_block_builder.h"

namespace silt::store {
namespace {

struct Entry {
  std::string line;
  std::vector<labels::LabelView> metadata;
};

std::shared_ptr<const ChunkBlock> Build(const std::vector<Entry>& entries) {
  ChunkBlockBuilder builder(/*build_bloom=*/false);
  int64_t ts = 100;
  for (const Entry& e : entries) builder.Add(ts++, e.line, e.metadata);
  BlockInfo info;
  info.min_ts = builder.min_ts();
  info.max_ts = builder.max_ts();
  info.entry_count = builder.entry_count();
  info.uncompressed_size = static_cast<uint32_t>(builder.Finish().size());
  auto block = ChunkBlock::Parse(std::string(builder.Finish()), info);
  EXPECT_TRUE(block.ok()) << block.status();
  return *block;
}

// The kept entries as a string of '0'/'1', one per entry.
std::string Select(const ChunkBlock& block, const std::vector<std::vector<std::string>>& groups) {
  std::vector<uint8_t> keep;
  SelectLinesContaining(block, groups, &keep);
  EXPECT_EQ(keep.size(), block.size());
  std::string out;
  for (uint8_t k : keep) out += k ? '1' : '0';
  return out;
}

// The same decision line by line, as the pipeline's line filter makes it.
std::string SelectLineByLine(const ChunkBlock& block,
                             const std::vector<std::vector<std::string>>& groups) {
  std::string out;
  for (size_t i = 0; i < block.size(); ++i) {
    bool all = true;
    for (const auto& group : groups) {
      bool any = false;
      for (const std::string& literal : group) {
        any = any || block.line(i).find(literal) != std::string_view::npos;
      }
      all = all && any;
    }
    out += all ? '1' : '0';
  }
  return out;
}

TEST(BlockLineSearchTest, FindLiteralAgreesWithFindOnEveryLengthAndPosition) {
  // Haystacks from 0 to 300 bytes (the 32-byte vector loop and its tail), literals of 1 to 40
  // bytes over a small alphabet, so partial matches of the filtered bytes abound; every other
  // round includes spaces and quotes (which make the search filter on two rare bytes instead of
  // the first and last).
  uint32_t state = 7;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  for (int round = 0; round < 3000; ++round) {
    const std::string alphabet = round % 2 == 0 ? "ab" : "a_ \"";
    std::string hay, literal;
    for (size_t i = next() % 301; i > 0; --i) hay += alphabet[next() % alphabet.size()];
    for (size_t i = 1 + next() % (round % 3 == 0 ? 40 : 6); i > 0; --i) {
      literal += alphabet[next() % alphabet.size()];
    }
    const size_t expected = std::string_view(hay).find(literal);
    const char* found = FindLiteral(hay, literal);
    if (expected == std::string_view::npos) {
      ASSERT_EQ(found, nullptr) << hay << " / " << literal;
    } else {
      ASSERT_EQ(found, hay.data() + expected) << hay << " / " << literal;
    }
  }
}

TEST(BlockLineSearchTest, FindLiteralFindsTheLastPossiblePosition) {
  for (size_t n = 3; n < 100; ++n) {
    std::string hay(n, 'x');
    hay.replace(n - 3, 3, "abc");
    EXPECT_EQ(FindLiteral(hay, "abc"), hay.data() + n - 3) << n;
    EXPECT_EQ(FindLiteral(hay, "abd"), nullptr) << n;
    EXPECT_EQ(FindLiteral(hay, "c"), hay.data() + n - 1) << n;
    hay.replace(n - 3, 3, " c ");
    EXPECT_EQ(FindLiteral(hay, " c "), hay.data() + n - 3) << n;
    EXPECT_EQ(FindLiteral(hay, "x c "), n > 3 ? hay.data() + n - 4 : nullptr) << n;
  }
}

TEST(BlockLineSearchTest, FindsHitsInTheFirstAndLastLines) {
  auto block = Build({{"error at start", {}}, {"nothing", {}}, {"ends with error", {}}});
  EXPECT_EQ(Select(*block, {{"error"}}), "101");
}

TEST(BlockLineSearchTest, HitAtTheVeryStartAndEndOfTheBlockBytes) {
  auto block = Build({{"x", {}}, {"abc", {}}});
  EXPECT_EQ(Select(*block, {{"x"}}), "10");
  EXPECT_EQ(Select(*block, {{"abc"}}), "01");
  EXPECT_EQ(Select(*block, {{"bc"}}), "01");
}

TEST(BlockLineSearchTest, LiteralSpanningTwoLinesDoesNotMatch) {
  // Without metadata the bytes between lines are the next entry's header (ts delta, length).
  auto block = Build({{"foo", {}}, {"bar", {}}});
  EXPECT_EQ(Select(*block, {{"foobar"}}), "00");
  // The literal made of a line's tail, the bytes between the lines and the next line's head.
  const std::string_view data = block->data();
  const size_t tail = static_cast<size_t>(block->line(0).data() - data.data()) + 1;
  const size_t head_end = static_cast<size_t>(block->line(1).data() - data.data()) + 2;
  const std::string spanning(data.substr(tail, head_end - tail));
  ASSERT_NE(data.find(spanning), std::string_view::npos);
  EXPECT_EQ(Select(*block, {{spanning}}), "00");
}

TEST(BlockLineSearchTest, LiteralInTheBytesBetweenLinesDoesNotMatch) {
  const std::string name = "level";
  const std::string value = "error";
  std::vector<labels::LabelView> metadata = {{name, value}};
  auto block = Build({{"plain line", metadata}, {"another", {}}, {"level error", metadata}});
  // "error" is in the metadata of entries 0 and 2 but only in the line of entry 2.
  EXPECT_EQ(Select(*block, {{"error"}}), "001");
  EXPECT_EQ(Select(*block, {{"level"}}), "001");
  // A literal running from a line into its metadata.
  EXPECT_EQ(Select(*block, {{"line\x01"}}), "000");
}

TEST(BlockLineSearchTest, EmptyLinesNeverMatchANonEmptyLiteral) {
  auto block = Build({{"", {}}, {"a", {}}, {"", {}}, {"", {}}, {"aa", {}}});
  EXPECT_EQ(Select(*block, {{"a"}}), "01001");
  EXPECT_EQ(Select(*block, {{"aa"}}), "00001");
}

TEST(BlockLineSearchTest, EmptyLiteralMatchesEveryLine) {
  auto block = Build({{"", {}}, {"a", {}}});
  EXPECT_EQ(Select(*block, {{""}}), "11");
  EXPECT_EQ(Select(*block, {{"zzz", ""}}), "11");
}

TEST(BlockLineSearchTest, AlternativesAreOredAndGroupsAnded) {
  auto block = Build({{"a b", {}}, {"a", {}}, {"b", {}}, {"c", {}}, {"b c", {}}});
  EXPECT_EQ(Select(*block, {{"a", "b"}}), "11101");
  EXPECT_EQ(Select(*block, {{"a", "c"}, {"b"}}), "10001");
  EXPECT_EQ(Select(*block, {}), "11111");
}

TEST(BlockLineSearchTest, SeveralHitsInOneLineAndOverlappingHits) {
  auto block = Build({{"aaaa", {}}, {"xaxa", {}}, {"aa", {}}});
  EXPECT_EQ(Select(*block, {{"aaa"}}), "100");
  EXPECT_EQ(Select(*block, {{"a"}}), "111");
  EXPECT_EQ(Select(*block, {{"xa"}}), "010");
}

TEST(BlockLineSearchTest, AgreesWithLineByLineSearchOnGeneratedBlocks) {
  // Short lines over a tiny alphabet, some with metadata over the same alphabet, so hits
  // across line ends and inside the bytes between lines are frequent.
  uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return (state >> 16) & 0x7fff;
  };
  const std::string alphabet = "ab\x01\x02";
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> lines, names, values;
    const size_t count = 1 + next() % 20;
    for (size_t i = 0; i < count; ++i) {
      std::string line, name, value;
      for (size_t j = next() % 6; j > 0; --j) line += alphabet[next() % alphabet.size()];
      for (size_t j = 1 + next() % 3; j > 0; --j) name += alphabet[next() % 2];
      for (size_t j = next() % 3; j > 0; --j) value += alphabet[next() % alphabet.size()];
      lines.push_back(line);
      names.push_back(name);
      values.push_back(value);
    }
    std::vector<Entry> entries;
    for (size_t i = 0; i < count; ++i) {
      Entry e{lines[i], {}};
      if (next() % 2 == 0) e.metadata.push_back({names[i], values[i]});
      entries.push_back(std::move(e));
    }
    auto block = Build(entries);
    std::vector<std::vector<std::string>> groups(1 + next() % 2);
    for (auto& group : groups) {
      for (size_t k = 1 + next() % 2; k > 0; --k) {
        std::string literal;
        for (size_t j = 1 + next() % 3; j > 0; --j) literal += alphabet[next() % alphabet.size()];
        group.push_back(literal);
      }
    }
    ASSERT_EQ(Select(*block, groups), SelectLineByLine(*block, groups)) << "round " << round;
  }
}

}  // namespace
}  // namespace silt::store
