// Bloom skipping never loses a result: a literal search that skips the blocks whose bloom rules
// them out finds exactly the lines a brute-force scan of every line finds.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <string>
#include <vector>

#include "aggregator/bloom/bloom_query.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/chunk_writer.h"
#include "tests/unit/aggregator/store/chunk_test_data.h"

namespace silt::store {
namespace {

using testing::MemoryRandomAccessFile;
using testing::TestEntry;
using testing::TestStream;

// Lines from a small vocabulary with varied separators, so literals often span token edges.
std::vector<TestStream> RandomText(uint64_t seed) {
  static const char* const kWords[] = {"disk", "full", "error", "rror", "Err", "io", "db_1",
                                       "x",    "42",   "GET",   "get",  "a_b", "ab", "user"};
  static const char* const kSeparators[] = {" ", ": ", "/", "=", "-", ".", "\"", ", "};
  std::mt19937_64 rng(seed);
  std::vector<TestStream> streams;
  for (int s = 0; s < 4; ++s) {
    TestStream stream;
    stream.labels = labels::LabelSet::Of({{"job", "j" + std::to_string(s)}});
    for (int e = 0; e < 1500; ++e) {
      std::string line;
      for (int w = static_cast<int>(rng() % 8) + 1; w > 0; --w) {
        line += kWords[rng() % std::size(kWords)];
        line += kSeparators[rng() % std::size(kSeparators)];
      }
      stream.entries.push_back(TestEntry{testing::kBaseTs + e, line, {}});
    }
    streams.push_back(std::move(stream));
  }
  return streams;
}

// Substrings of real lines (hits) and word combinations that may not occur (misses).
std::vector<std::string> Literals(const std::vector<TestStream>& streams, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> literals = {"rror: disk full", " disk ", "zzz qqq www",
                                       ": io: ",          "/GET/",  " user=db_1 "};
  for (int i = 0; i < 300; ++i) {
    const TestStream& stream = streams[rng() % streams.size()];
    const std::string& line = stream.entries[rng() % stream.entries.size()].line;
    size_t begin = rng() % line.size();
    size_t length = 1 + rng() % (line.size() - begin);
    literals.push_back(line.substr(begin, length));
    literals.push_back(" " + line.substr(begin, length) + "/" + std::to_string(rng() % 50) + " ");
  }
  return literals;
}

TEST(ChunkBloomSkipTest, LiteralSearchWithBloomsMatchesBruteForce) {
  std::vector<TestStream> streams = RandomText(31);
  ChunkWriterOptions options;
  options.target_block_size = 4096;
  MemoryRandomAccessFile file(testing::WriteChunk(streams, options));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  size_t skipped = 0, blocks = 0;
  for (const std::string& literal : Literals(streams, 32)) {
    size_t expected = 0, found = 0;
    for (const TestStream& stream : streams) {
      for (const TestEntry& entry : stream.entries) {
        expected += entry.line.find(literal) != std::string::npos;
      }
    }
    for (size_t s = 0; s < (*reader)->streams().size(); ++s) {
      for (size_t b = 0; b < (*reader)->streams()[s].blocks.size(); ++b) {
        ++blocks;
        auto may_contain = (*reader)->BlockMayContainLiteral(s, b, literal);
        ASSERT_TRUE(may_contain.ok()) << may_contain.status();
        if (!*may_contain) {
          ++skipped;
          continue;
        }
        auto block = (*reader)->ReadBlock(s, b);
        ASSERT_TRUE(block.ok()) << block.status();
        for (size_t i = 0; i < (*block)->size(); ++i) {
          found += (*block)->line(i).find(literal) != std::string_view::npos;
        }
      }
    }
    ASSERT_EQ(found, expected) << "literal \"" << literal << "\"";
  }
  EXPECT_GT(skipped, blocks / 10);  // the blooms do skip, or this test proves nothing
}

TEST(ChunkBloomSkipTest, KeyValueSkipNeverMissesAnExtractedPair) {
  // Each line is unique (it carries its index), so the pairs `| json` / `| logfmt` would extract
  // from it can be looked up by line.
  std::mt19937_64 rng(41);
  TestStream stream;
  stream.labels = labels::LabelSet::Of({{"job", "api"}});
  std::map<std::string, std::map<std::string, std::string>> pairs_of_line;
  for (int e = 0; e < 3000; ++e) {
    std::string level = e % 500 == 0 ? "fatal" : (rng() % 2 ? "info" : "warn");
    std::string user = "u" + std::to_string(rng() % 1000);
    std::string line = rng() % 2
                           ? R"({"level":")" + level + R"(","ctx":{"user":")" + user +
                                 R"("},"i":)" + std::to_string(e) + "}"
                           : "level=" + level + " ctx.user=" + user + " i=" + std::to_string(e);
    pairs_of_line[line] = {{"level", level}, {"ctx_user", user}};
    stream.entries.push_back(TestEntry{testing::kBaseTs + e, line, {}});
  }
  ChunkWriterOptions options;
  options.target_block_size = 4096;
  MemoryRandomAccessFile file(testing::WriteChunk({stream}, options));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  size_t skipped = 0;
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"level", "fatal"}, {"ctx_user", "u7"}, {"level", "debug"}, {"ctx_user", "u999"}}) {
    size_t expected = 0, found = 0;
    for (const auto& [line, pairs] : pairs_of_line) expected += pairs.at(name) == value;
    for (size_t b = 0; b < (*reader)->streams()[0].blocks.size(); ++b) {
      auto filter = (*reader)->ReadBloom(0, b);
      ASSERT_TRUE(filter.ok() && filter->has_value());
      if (!bloom::MayContainKeyValue(**filter, name, value)) {
        ++skipped;
        continue;
      }
      auto block = (*reader)->ReadBlock(0, b);
      ASSERT_TRUE(block.ok()) << block.status();
      for (size_t i = 0; i < (*block)->size(); ++i) {
        found += pairs_of_line.at(std::string((*block)->line(i))).at(name) == value;
      }
    }
    EXPECT_EQ(found, expected) << name << "=" << value;
  }
  EXPECT_GT(skipped, 0u);
}

TEST(ChunkBloomSkipTest, KeyValueSkipOnValuesWithoutTermsNeverMissesAPair) {
  // User ids and timestamps have four or more digits, so their pairs get no term of their own;
  // the skip then rests on the values' tokens. Results must still equal a brute-force scan.
  std::mt19937_64 rng(43);
  TestStream stream;
  stream.labels = labels::LabelSet::Of({{"job", "api"}});
  std::map<std::string, std::map<std::string, std::string>> pairs_of_line;
  for (int e = 0; e < 3000; ++e) {
    std::string user = std::to_string(10000 + rng() % 5000);
    std::string ts =
        "2024-01-01T10:" + std::to_string(10 + e / 60) + ":" + std::to_string(10 + e % 50);
    std::string line = rng() % 2 ? R"({"user":")" + user + R"(","ts":")" + ts + R"(","i":)" +
                                       std::to_string(e) + "}"
                                 : "user=" + user + " ts=" + ts + " i=" + std::to_string(e);
    pairs_of_line[line] = {{"user", user}, {"ts", ts}};
    stream.entries.push_back(TestEntry{testing::kBaseTs + e, line, {}});
  }
  ChunkWriterOptions options;
  options.target_block_size = 4096;
  MemoryRandomAccessFile file(testing::WriteChunk({stream}, options));
  auto reader = ChunkReader::Open(&file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  size_t skipped = 0;
  std::vector<std::pair<std::string, std::string>> queries = {{"user", "10007"},
                                                              {"user", "14999"},
                                                              {"user", "99999"},
                                                              {"ts", "2024-01-01T10:20:15"},
                                                              {"ts", "2024-01-01T10:99:99"}};
  for (int i = 0; i < 30; ++i) queries.push_back({"user", std::to_string(10000 + rng() % 5000)});
  for (const auto& [name, value] : queries) {
    size_t expected = 0, found = 0;
    for (const auto& [line, pairs] : pairs_of_line) expected += pairs.at(name) == value;
    for (size_t b = 0; b < (*reader)->streams()[0].blocks.size(); ++b) {
      auto filter = (*reader)->ReadBloom(0, b);
      ASSERT_TRUE(filter.ok() && filter->has_value());
      if (!bloom::MayContainKeyValue(**filter, name, value)) {
        ++skipped;
        continue;
      }
      auto block = (*reader)->ReadBlock(0, b);
      ASSERT_TRUE(block.ok()) << block.status();
      for (size_t i = 0; i < (*block)->size(); ++i) {
        found += pairs_of_line.at(std::string((*block)->line(i))).at(name) == value;
      }
    }
    EXPECT_EQ(found, expected) << name << "=" << value;
  }
  EXPECT_GT(skipped, 0u);
}

}  // namespace
}  // namespace silt::store
