#include "aggregator/bloom/seen_term_cache.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>
#include <string>
#include <utility>

namespace silt::bloom {
namespace {

uint64_t LoadPaddedReference(std::string_view bytes) {
  uint64_t value = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes[i])) << (8 * i);
  }
  return value;
}

TEST(SeenTermCacheTest, LoadPaddedEqualsAByteLoopForEveryLength) {
  const std::string text =
      "\x01\xff"
      "abcdefgh\x80";
  for (size_t begin = 0; begin < text.size(); ++begin) {
    for (size_t n = 0; n <= 8 && begin + n <= text.size(); ++n) {
      std::string_view bytes(text.data() + begin, n);
      EXPECT_EQ(LoadPadded(bytes), LoadPaddedReference(bytes)) << begin << " " << n;
    }
  }
}

TEST(SeenTermCacheTest, LongTokenKeysExistFor9To16BytesOnly) {
  EXPECT_FALSE(LongTokenKey("abcdefgh"));
  EXPECT_TRUE(LongTokenKey("abcdefghi"));
  EXPECT_TRUE(LongTokenKey("abcdefghijklmnop"));
  EXPECT_FALSE(LongTokenKey("abcdefghijklmnopq"));
  EXPECT_NE(LongTokenKey("abcdefghi")->first, 0u);
}

TEST(SeenTermCacheTest, PairKeysFitShortNamesAndValuesOnly) {
  EXPECT_TRUE(PairKey("abcdefg", "12345678"));
  EXPECT_FALSE(PairKey("abcdefgh", "v"));
  EXPECT_FALSE(PairKey("name", "123456789"));
  EXPECT_FALSE(PairKey("", "v"));
  EXPECT_FALSE(PairKey("n", ""));
}

TEST(SeenTermCacheTest, DistinctTermsGetDistinctKeys) {
  // Exhaustive over short names and values from a small alphabet that includes NUL in values:
  // a key is a lossless packing, so no two (name, value) pairs or tokens may share one.
  std::map<std::pair<uint64_t, uint64_t>, std::string> seen;
  auto add = [&](std::optional<SeenTermKey> key, std::string what) {
    ASSERT_TRUE(key);
    auto [it, inserted] = seen.emplace(std::pair(key->first, key->second), what);
    EXPECT_TRUE(inserted) << "'" << what << "' and '" << it->second << "' share a key";
  };
  const std::string alphabet("a1\0", 3);
  std::vector<std::string> strings = {""};
  for (size_t i = 0; i < strings.size() && strings.size() < 1 + 3 + 9 + 27 + 81; ++i) {
    for (char c : alphabet) strings.push_back(strings[i] + c);
  }
  for (const std::string& name : strings) {
    if (name.empty() || name.find('\0') != std::string::npos) continue;  // names are alnum
    for (const std::string& value : strings) {
      if (!value.empty()) add(PairKey(name, value), "pair " + name + "=" + value);
    }
  }
  std::mt19937_64 rng(5);
  std::map<std::string, bool> tokens;
  for (int i = 0; i < 20000; ++i) {
    std::string token(9 + rng() % 8, 'a');
    for (char& c : token) c = "ab_9"[rng() % 4];
    if (tokens.emplace(token, true).second) add(LongTokenKey(token), "token " + token);
  }
}

TEST(SeenTermCacheTest, ContainsOnlyWhatWasInsertedSinceClear) {
  SeenTermCache cache;
  const SeenTermKey key = *PairKey("level", "info");
  EXPECT_FALSE(cache.Contains(key));
  cache.Insert(key);
  EXPECT_TRUE(cache.Contains(key));
  EXPECT_FALSE(cache.Contains(*PairKey("level", "warn")));
  cache.Clear();
  EXPECT_FALSE(cache.Contains(key));
}

TEST(SeenTermCacheTest, EvictionForgetsButNeverAnswersForAnotherKey) {
  SeenTermCache cache;
  std::mt19937_64 rng(9);
  std::map<std::pair<uint64_t, uint64_t>, bool> inserted;
  int hits = 0;
  for (int i = 0; i < 50000; ++i) {
    SeenTermKey key{(rng() % 3000) + 1, rng() % 3};
    if (cache.Contains(key)) {
      ++hits;
      ASSERT_TRUE(inserted.count({key.first, key.second})) << "a hit for a key never inserted";
    } else {
      cache.Insert(key);
      inserted[{key.first, key.second}] = true;
      EXPECT_TRUE(cache.Contains(key));
    }
  }
  EXPECT_GT(hits, 0);
  EXPECT_LT(static_cast<size_t>(hits), 50000 - inserted.size() + 1);
}

}  // namespace
}  // namespace silt::bloom
