#include "aggregator/bloom/bloom_builder.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace silt::bloom {
namespace {

TEST(BloomBuilderTest, CountsDistinctKeysOnly) {
  BloomBuilder builder;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5000; ++i) builder.Add("key" + std::to_string(i));
  }
  EXPECT_EQ(builder.distinct_count(), 5000u);
}

TEST(BloomBuilderTest, BuiltFilterIsSizedForTheDistinctCount) {
  BloomBuilder builder;
  for (int round = 0; round < 10; ++round) {
    for (int i = 0; i < 1000; ++i) builder.Add("key" + std::to_string(i));
  }
  BloomFilter built = builder.Build(0.01);
  EXPECT_EQ(built.bit_count(), BloomFilter(1000, 0.01).bit_count());
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(built.MayContain("key" + std::to_string(i))) << i;
}

TEST(BloomBuilderTest, AddMatchesAddHashOfHashKey) {
  BloomBuilder by_key, by_hash;
  for (const std::string& key :
       std::vector<std::string>{"", "a", "GET", "level=error", std::string(300, 'x')}) {
    by_key.Add(key);
    by_hash.AddHash(BloomFilter::HashKey(key));
  }
  EXPECT_EQ(by_key.Build(0.01), by_hash.Build(0.01));
}

TEST(BloomBuilderTest, HashZeroIsKept) {
  BloomBuilder builder;
  builder.AddHash(0);
  builder.AddHash(0);
  builder.AddHash(7);
  EXPECT_EQ(builder.distinct_count(), 2u);
  BloomFilter built = builder.Build(0.01);
  EXPECT_TRUE(built.MayContainHash(0));
  EXPECT_TRUE(built.MayContainHash(7));
}

TEST(BloomBuilderTest, ClearStartsOver) {
  BloomBuilder builder;
  for (int i = 0; i < 3000; ++i) builder.Add("a" + std::to_string(i));
  builder.Clear();
  EXPECT_EQ(builder.distinct_count(), 0u);
  builder.Add("b");
  EXPECT_EQ(builder.distinct_count(), 1u);
  BloomFilter built = builder.Build(0.01);
  EXPECT_TRUE(built.MayContain("b"));
  EXPECT_EQ(built.bit_count(), 64u);
}

TEST(BloomBuilderTest, AddHashesEqualsAddHashOneByOne) {
  BloomBuilder batched, single;
  std::vector<uint64_t> hashes;
  for (uint64_t i = 0; i < 1000; ++i) hashes.push_back((i % 300) * 0x9E3779B97F4A7C15ULL);
  batched.AddHashes(hashes);
  for (uint64_t hash : hashes) single.AddHash(hash);
  EXPECT_EQ(batched.distinct_count(), 300u);
  EXPECT_EQ(
      std::vector<uint64_t>(batched.distinct_hashes().begin(), batched.distinct_hashes().end()),
      std::vector<uint64_t>(single.distinct_hashes().begin(), single.distinct_hashes().end()));
  EXPECT_EQ(batched.Build(0.01), single.Build(0.01));
}

TEST(BloomBuilderTest, DistinctHashesAreInFirstSeenOrder) {
  BloomBuilder builder;
  for (uint64_t hash : {5, 3, 5, 0, 9, 3}) builder.AddHash(hash);
  EXPECT_EQ(
      std::vector<uint64_t>(builder.distinct_hashes().begin(), builder.distinct_hashes().end()),
      (std::vector<uint64_t>{5, 3, 0, 9}));
}

}  // namespace
}  // namespace silt::bloom
