#include "aggregator/bloom/block_bloom_builder.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/bloom/bloom_builder.h"
#include "aggregator/bloom/term_extractor.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bloom {
namespace {

using Pair = std::pair<std::string, std::string>;

struct Entry {
  std::string line;
  std::vector<Pair> metadata;
};

// The definition BlockBloomBuilder must meet: every TermExtractor term, hashed with HashKey.
class Reference {
 public:
  void Add(const Entry& entry) {
    auto add = [&](std::string_view term) {
      builder_.Add(term);
      terms_.emplace(term);
    };
    extractor_.ForEachLineTerm(entry.line, add);
    for (const auto& [name, value] : entry.metadata) extractor_.ForEachPairTerm(name, value, add);
  }
  const BloomBuilder& builder() const { return builder_; }
  const std::set<std::string>& terms() const { return terms_; }
  void Clear() {
    builder_.Clear();
    terms_.clear();
  }

 private:
  TermExtractor extractor_;
  BloomBuilder builder_;
  std::set<std::string> terms_;
};

void AddEntry(const Entry& entry, BlockBloomBuilder* builder) {
  builder->AddLine(entry.line);
  for (const auto& [name, value] : entry.metadata) builder->AddPair(name, value);
}

// Builds blocks of `block_size` entries both ways and expects identical filters.
void ExpectSameFilters(const std::vector<Entry>& entries, size_t block_size) {
  BlockBloomBuilder builder;
  Reference reference;
  for (size_t begin = 0; begin < entries.size(); begin += block_size) {
    for (size_t i = begin; i < std::min(entries.size(), begin + block_size); ++i) {
      AddEntry(entries[i], &builder);
      reference.Add(entries[i]);
    }
    ASSERT_EQ(builder.distinct_count(), reference.terms().size()) << "block at " << begin;
    ASSERT_EQ(builder.Build(0.01), reference.builder().Build(0.01)) << "block at " << begin;
    builder.Clear();
    reference.Clear();
  }
}

std::vector<Entry> GeneratedEntries(loggen::Format format, int count) {
  loggen::GeneratorOptions options;
  options.format = format;
  options.seed = 3;
  options.line_size = 120;
  auto generator = loggen::Generator::Create(options);
  EXPECT_TRUE(generator.ok()) << generator.status();
  std::vector<Entry> entries;
  for (int i = 0; i < count; ++i) {
    Entry entry{std::string((*generator)->Next().line), {}};
    if (i % 5 == 0) entry.metadata = {{"trace_id", "t" + std::to_string(i)}, {"pod", "p-12345"}};
    entries.push_back(std::move(entry));
  }
  return entries;
}

TEST(BlockBloomBuilderTest, EqualsTheReferenceOnEveryGeneratedFormat) {
  for (loggen::Format format : loggen::ConcreteFormats()) {
    SCOPED_TRACE(std::string(loggen::FormatName(format)));
    ExpectSameFilters(GeneratedEntries(format, 3000), 700);
  }
}

// Lines from pieces that exercise the fast paths' edges: tokens of 1..8 bytes and longer, lines
// shorter than 8 bytes, tokens at the very end, JSON and logfmt pairs, escapes, non-ASCII.
std::vector<Entry> RandomEntries(uint64_t seed, int count) {
  static const char* const kPieces[] = {"a",
                                        "ab",
                                        "abcdefgh",
                                        "abcdefghi",
                                        "x_1",
                                        "00",
                                        "1234",
                                        "12345",
                                        "0xdeadbeef1",
                                        " ",
                                        "  ",
                                        "=",
                                        "k=v",
                                        "n=123456",
                                        "\"",
                                        "\\\"",
                                        "{\"a\":\"b\"}",
                                        "{\"n\":987654}",
                                        "é",
                                        "\t",
                                        "-",
                                        "id=\"u12345\"",
                                        "ts=2024-01-01T00:00:00.123Z",
                                        "{\"m\":\"x\\u00e9\"}"};
  std::mt19937_64 rng(seed);
  std::vector<Entry> entries;
  for (int i = 0; i < count; ++i) {
    Entry entry;
    for (int pieces = static_cast<int>(rng() % 12); pieces > 0; --pieces) {
      entry.line += kPieces[rng() % std::size(kPieces)];
    }
    if (rng() % 4 == 0) entry.line = "{" + entry.line;
    if (rng() % 7 == 0) entry.metadata.push_back({"user_id", std::to_string(rng() % 100000)});
    entries.push_back(std::move(entry));
  }
  return entries;
}

TEST(BlockBloomBuilderTest, EqualsTheReferenceOnRandomLines) {
  ExpectSameFilters(RandomEntries(21, 20000), 997);
}

TEST(BlockBloomBuilderTest, ShortLinesAndLinesOfExactlyEightBytesAreTokenized) {
  std::vector<Entry> entries;
  for (std::string line :
       {"a", "ab c", "abcdefg", "abcdefgh", "abcdefgh ", " abcdefgh", "a b c d"}) {
    entries.push_back(Entry{line, {}});
  }
  ExpectSameFilters(entries, entries.size());
}

TEST(BlockBloomBuilderTest, LongLinesEqualTheReferenceToo) {
  // Lines over 8 KiB take the insert that checks for growth instead of reserving room first.
  std::vector<Entry> entries;
  std::mt19937_64 rng(8);
  for (size_t size : {8191, 8192, 8193, 20000, 100000}) {
    Entry entry;
    while (entry.line.size() < size) entry.line += "t" + std::to_string(rng() % 50000) + " k=v ";
    entry.line.resize(size);
    entries.push_back(std::move(entry));
  }
  ExpectSameFilters(entries, 2);
}

TEST(BlockBloomBuilderTest, PairsAndLongTokensRepeatedAcrossLinesAndBlocksEqualTheReference) {
  // Repeats take the seen-term cache: a pair whose first occurrence got no term (a value its
  // tokens stand for, bounded in its line) must still get it where it is not bounded or comes
  // as metadata; pairs told apart only by a NUL byte, a length or where name ends and value
  // begins; long tokens of 9..17 bytes; and the cache must forget a block's terms at Clear.
  std::vector<Entry> entries;
  for (int round = 0; round < 3; ++round) {
    entries.push_back(Entry{"{\"id\":\"12345\",\"lvl\":\"info\"}", {}});
    entries.push_back(Entry{"id=12345x lvl=info", {{"id", "12345"}}});
    entries.push_back(Entry{"{\"a\":\"b\\u0000\",\"ab\":\"c\"}", {}});
    entries.push_back(Entry{"{\"a\":\"b\",\"a\":\"bc\"} ab=c", {{"a", std::string("b\0", 2)}}});
    entries.push_back(Entry{"abcdefghi abcdefghij abcdefghijklmnop abcdefghijklmnopq", {}});
    entries.push_back(Entry{"abcdefghi abcdefghiX zbcdefghijklmnop", {}});
    entries.push_back(Entry{"k=v\xc3 k=v\xff name7ch=12345678 name8chr=v", {}});
  }
  ExpectSameFilters(entries, 4);
  ExpectSameFilters(entries, 7);
  ExpectSameFilters(entries, entries.size());
}

TEST(BlockBloomBuilderTest, AppendFilterToEqualsBuildForBigAndSmallBlocksInTurn) {
  // The reused filter must be resized and emptied for each block, a small one after a big one
  // included.
  BlockBloomBuilder builder;
  for (int block = 0; block < 4; ++block) {
    const int lines = block % 2 == 0 ? 3000 : 3;
    for (int i = 0; i < lines; ++i)
      builder.AddLine("b" + std::to_string(block) + "_" + std::to_string(i));
    std::string appended = "prefix";
    builder.AppendFilterTo(0.01, &appended);
    std::string expected = "prefix";
    builder.Build(0.01).AppendTo(&expected);
    ASSERT_EQ(appended, expected) << "block " << block;
    builder.Clear();
  }
}

TEST(BlockBloomBuilderTest, RepeatedTermsCountOnce) {
  BlockBloomBuilder builder;
  for (int i = 0; i < 100; ++i) builder.AddLine("GET /health 200 averyverylongtoken level=info");
  // GET, health, 200, averyverylongtoken, level, info, level=info
  EXPECT_EQ(builder.distinct_count(), 7u);
}

TEST(BlockBloomBuilderTest, ClearStartsTheNextBlock) {
  BlockBloomBuilder builder;
  for (int i = 0; i < 5000; ++i) builder.AddLine("token" + std::to_string(i));
  builder.Clear();
  EXPECT_EQ(builder.distinct_count(), 0u);
  builder.AddLine("only here");
  EXPECT_EQ(builder.distinct_count(), 2u);
  BloomFilter filter = builder.Build(0.01);
  EXPECT_TRUE(filter.MayContain("only"));
  EXPECT_TRUE(filter.MayContain("here"));
  EXPECT_EQ(filter.bit_count(), 64u);  // sized for 2 terms, not for the 5000 of the last block
}

TEST(BlockBloomBuilderTest, RealisticBlockHasNoFalseNegativesAndFalsePositivesOnTarget) {
  BlockBloomBuilder builder;
  Reference reference;
  for (const Entry& entry : GeneratedEntries(loggen::Format::kJson, 2000)) {
    AddEntry(entry, &builder);
    reference.Add(entry);
  }
  BloomFilter filter = builder.Build(0.01);
  for (const std::string& term : reference.terms()) ASSERT_TRUE(filter.MayContain(term)) << term;
  int positives = 0;
  constexpr int kProbes = 200000;
  for (int i = 0; i < kProbes; ++i) positives += filter.MayContain("absent_" + std::to_string(i));
  EXPECT_LE(positives, kProbes * 0.02);
  EXPECT_GE(positives, kProbes * 0.005);
}

}  // namespace
}  // namespace silt::bloom
