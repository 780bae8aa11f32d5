#include "aggregator/bloom/uint64_set.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <set>
#include <vector>

namespace silt::bloom {
namespace {

std::vector<uint64_t> Members(const Uint64Set& set) {
  return std::vector<uint64_t>(set.members().begin(), set.members().end());
}

TEST(Uint64SetTest, InsertReportsWhetherTheValueWasNew) {
  Uint64Set set;
  EXPECT_TRUE(set.Insert(42));
  EXPECT_FALSE(set.Insert(42));
  EXPECT_TRUE(set.Insert(7));
  EXPECT_EQ(set.size(), 2u);
}

TEST(Uint64SetTest, ZeroIsAnOrdinaryMember) {
  Uint64Set set;
  EXPECT_TRUE(set.Insert(0));
  EXPECT_FALSE(set.Insert(0));
  EXPECT_TRUE(set.Insert(1));
  EXPECT_EQ(Members(set), (std::vector<uint64_t>{0, 1}));
}

TEST(Uint64SetTest, MembersKeepInsertionOrderAcrossGrowth) {
  Uint64Set set;
  std::vector<uint64_t> expected;
  for (uint64_t i = 1; i <= 10000; ++i) {
    uint64_t value = i * 0x10000;  // structured values: the low bits are all equal
    set.Insert(value);
    set.Insert(value);
    expected.push_back(value);
  }
  EXPECT_EQ(Members(set), expected);
}

TEST(Uint64SetTest, MatchesStdSetOnRandomValues) {
  std::mt19937_64 rng(5);
  Uint64Set set;
  std::set<uint64_t> reference;
  for (int i = 0; i < 50000; ++i) {
    uint64_t value = rng() % 20000;  // many repeats
    EXPECT_EQ(set.Insert(value), reference.insert(value).second) << value;
  }
  EXPECT_EQ(set.size(), reference.size());
}

TEST(Uint64SetTest, InsertReservedAfterReserveNeedsNoGrowth) {
  Uint64Set set;
  set.Reserve(3000);
  for (uint64_t i = 1; i <= 3000; ++i) EXPECT_TRUE(set.InsertReserved(i * 977));
  for (uint64_t i = 1; i <= 3000; ++i) EXPECT_FALSE(set.InsertReserved(i * 977));
  EXPECT_EQ(set.size(), 3000u);
}

TEST(Uint64SetTest, ClearAfterABigSetLeavesItEmpty) {
  Uint64Set set;
  for (uint64_t i = 0; i < 20000; ++i) set.Insert(i);
  set.Clear();
  EXPECT_EQ(set.size(), 0u);
  EXPECT_TRUE(set.Insert(5));
  EXPECT_TRUE(set.Insert(0));
  EXPECT_EQ(set.size(), 2u);
}

TEST(Uint64SetTest, ClearOfASmallSetInABigTableRemovesExactlyItsMembers) {
  // A table grown by a big block, then smaller blocks (under 1/16 of the slots, so Clear walks
  // the members backwards) with enough members to form probe clusters: no stale slot may stay.
  Uint64Set set;
  for (uint64_t i = 1; i <= 50000; ++i) set.Insert(i);
  set.Clear();
  std::mt19937_64 rng(9);
  for (int block = 0; block < 20; ++block) {
    std::vector<uint64_t> values;
    for (int i = 0; i < 8000; ++i) values.push_back(rng());
    values.push_back(0);
    for (uint64_t value : values) EXPECT_TRUE(set.Insert(value));
    set.Clear();
    EXPECT_EQ(set.size(), 0u);
    for (uint64_t value : values) ASSERT_TRUE(set.Insert(value)) << "stale slot, block " << block;
    set.Clear();
  }
}

}  // namespace
}  // namespace silt::bloom
