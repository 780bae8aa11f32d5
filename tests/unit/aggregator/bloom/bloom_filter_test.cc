#include "aggregator/bloom/bloom_filter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace silt::bloom {
namespace {

// Distinct random keys: a running counter makes them unique, the random part makes them varied.
std::vector<std::string> RandomKeys(size_t count, uint64_t seed, std::string_view prefix) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> length(1, 24);
  std::uniform_int_distribution<int> byte('!', '~');
  std::vector<std::string> keys;
  keys.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    std::string key(prefix);
    key += std::to_string(i);
    key += ':';
    for (int n = length(rng); n > 0; --n) key.push_back(static_cast<char>(byte(rng)));
    keys.push_back(std::move(key));
  }
  return keys;
}

TEST(BloomFilterTest, NeverGivesFalseNegatives) {
  constexpr size_t kKeys = 200000;
  std::vector<std::string> keys = RandomKeys(kKeys, 42, "member");
  BloomFilter filter(kKeys);
  for (const std::string& key : keys) filter.Add(key);
  size_t missing = 0;
  for (const std::string& key : keys) missing += filter.MayContain(key) ? 0 : 1;
  EXPECT_EQ(missing, 0u);
}

double MeasuredFalsePositiveRate(double target) {
  constexpr size_t kKeys = 100000;
  constexpr size_t kProbes = 1000000;
  BloomFilter filter(kKeys, target);
  for (const std::string& key : RandomKeys(kKeys, 7, "in")) filter.Add(key);
  size_t positives = 0;
  for (const std::string& key : RandomKeys(kProbes, 8, "out")) positives += filter.MayContain(key);
  return static_cast<double>(positives) / kProbes;
}

TEST(BloomFilterTest, FalsePositiveRateIsWithinTwiceTheTargetAtOnePercent) {
  double rate = MeasuredFalsePositiveRate(0.01);
  EXPECT_LE(rate, 0.02);
  EXPECT_GE(rate, 0.005);  // not oversized either
}

TEST(BloomFilterTest, FalsePositiveRateIsWithinTwiceTheTargetAtOneTenthPercent) {
  double rate = MeasuredFalsePositiveRate(0.001);
  EXPECT_LE(rate, 0.002);
  EXPECT_GE(rate, 0.0005);
}

TEST(BloomFilterTest, FalsePositiveRateIsWithinTwiceTheTargetAtFivePercent) {
  double rate = MeasuredFalsePositiveRate(0.05);
  EXPECT_LE(rate, 0.10);
  EXPECT_GE(rate, 0.025);
}

// Many filters of `keys` keys each (fresh keys per filter), probed with keys never added: the
// rate over all of them, so small filters are measured as precisely as big ones.
double MeasuredFalsePositiveRateAtSize(size_t keys, double target) {
  const size_t filters = std::max<size_t>(1, 200000 / keys);
  const size_t probes_per_filter = std::max<size_t>(200, 1000000 / filters);
  size_t positives = 0;
  for (size_t f = 0; f < filters; ++f) {
    BloomFilter filter(keys, target);
    for (const std::string& key : RandomKeys(keys, 1000 + f, "in")) filter.Add(key);
    for (const std::string& key : RandomKeys(probes_per_filter, 5000 + f, "out")) {
      positives += filter.MayContain(key);
    }
  }
  return static_cast<double>(positives) / static_cast<double>(filters * probes_per_filter);
}

TEST(BloomFilterTest, FalsePositiveRateIsWithinTwiceTheTargetAcrossSizes) {
  for (size_t keys : {10, 100, 1000, 5000, 30000}) {
    double rate = MeasuredFalsePositiveRateAtSize(keys, 0.01);
    EXPECT_LE(rate, 0.02) << keys << " keys";
    // Rounding the size up to whole words lowers the rate of tiny filters; from ~100 keys on
    // the filter is not oversized either.
    if (keys >= 100) {
      EXPECT_GE(rate, 0.005) << keys << " keys";
    }
  }
}

TEST(BloomFilterTest, SizingFollowsTheStandardFormula) {
  BloomFilter filter(10000, 0.01);
  double expected_bits = -10000 * std::log(0.01) / (std::log(2.0) * std::log(2.0));
  EXPECT_GE(filter.bit_count(), expected_bits);
  EXPECT_LT(filter.bit_count(), expected_bits + 64);
  EXPECT_EQ(filter.hash_count(), 7);
  EXPECT_EQ(BloomFilter(1000, 0.001).hash_count(), 10);
}

TEST(BloomFilterTest, EmptyFilterHasOneWordAndContainsNothing) {
  BloomFilter filter(0);
  EXPECT_EQ(filter.bit_count(), 64u);
  EXPECT_FALSE(filter.MayContain("anything"));
  EXPECT_FALSE(filter.MayContain(""));
}

TEST(BloomFilterTest, ResetGivesTheFilterTheConstructorWouldMake) {
  BloomFilter filter(5000, 0.01);
  for (int i = 0; i < 5000; ++i) filter.Add("key" + std::to_string(i));
  filter.Reset(10, 0.05);
  EXPECT_EQ(filter, BloomFilter(10, 0.05));
  filter.Add("x");
  filter.Reset(5000, 0.001);
  EXPECT_EQ(filter, BloomFilter(5000, 0.001));
  EXPECT_FALSE(filter.MayContain("x"));
}

TEST(BloomFilterTest, AddHashAndAddAgree) {
  BloomFilter by_key(100);
  BloomFilter by_hash(100);
  by_key.Add("token");
  by_hash.AddHash(BloomFilter::HashKey("token"));
  EXPECT_EQ(by_key, by_hash);
  EXPECT_TRUE(by_hash.MayContain("token"));
}

TEST(BloomFilterTest, SerializationRoundTrips) {
  BloomFilter filter(1000);
  for (const std::string& key : RandomKeys(1000, 3, "k")) filter.Add(key);
  std::string bytes;
  filter.AppendTo(&bytes);
  EXPECT_EQ(bytes.size(), filter.SerializedSize());
  Result<BloomFilter> parsed = BloomFilter::Deserialize(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, filter);
  for (const std::string& key : RandomKeys(1000, 3, "k")) EXPECT_TRUE(parsed->MayContain(key));
}

TEST(BloomFilterTest, SerializedHeaderIsPinned) {
  BloomFilter filter(0, 0.01);
  std::string bytes;
  filter.AppendTo(&bytes);
  EXPECT_EQ(bytes, std::string("\x02\x07\x00\x00\x01\x00\x00\x00"
                               "\0\0\0\0\0\0\0\0",
                               16));
}

std::string Serialized() {
  BloomFilter filter(20);
  filter.Add("a");
  std::string bytes;
  filter.AppendTo(&bytes);
  return bytes;
}

void ExpectCorruption(const std::string& bytes, std::string_view fragment) {
  Result<BloomFilter> parsed = BloomFilter::Deserialize(bytes);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kCorruption);
  EXPECT_NE(parsed.status().message().find(fragment), std::string_view::npos) << parsed.status();
}

TEST(BloomFilterTest, UnknownVersionIsCorruption) {
  std::string bytes = Serialized();
  bytes[0] = 3;
  ExpectCorruption(bytes, "unknown version 3 (this build reads version 2)");
}

TEST(BloomFilterTest, UnreleasedVersionOneIsCorruption) {
  // Version 1 filters may hold terms version 2 leaves out; none were ever written outside tests.
  std::string bytes = Serialized();
  bytes[0] = 1;
  ExpectCorruption(bytes, "unknown version 1");
}

TEST(BloomFilterTest, HashCountOutOfRangeIsCorruption) {
  std::string bytes = Serialized();
  bytes[1] = 0;
  ExpectCorruption(bytes, "hash count 0");
  bytes[1] = 31;
  ExpectCorruption(bytes, "hash count 31");
}

TEST(BloomFilterTest, ReservedBitsSetIsCorruption) {
  std::string bytes = Serialized();
  bytes[3] = 1;
  ExpectCorruption(bytes, "reserved");
}

TEST(BloomFilterTest, WordCountMismatchIsCorruption) {
  std::string bytes = Serialized();
  ExpectCorruption(bytes + "x", "words but");
  ExpectCorruption(bytes.substr(0, bytes.size() - 8), "words but");
  std::string zero_words = bytes;
  zero_words[4] = zero_words[5] = zero_words[6] = zero_words[7] = 0;
  ExpectCorruption(zero_words.substr(0, 8), "0 words");
  std::string huge = bytes;
  huge[7] = '\x7f';
  ExpectCorruption(huge, "words but");
}

TEST(BloomFilterTest, EveryTruncationIsCorruption) {
  std::string bytes = Serialized();
  for (size_t size = 0; size < bytes.size(); ++size) {
    Result<BloomFilter> parsed = BloomFilter::Deserialize(std::string_view(bytes).substr(0, size));
    EXPECT_FALSE(parsed.ok()) << size;
  }
}

}  // namespace
}  // namespace silt::bloom
