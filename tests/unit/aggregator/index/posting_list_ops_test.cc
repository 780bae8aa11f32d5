#include "aggregator/index/posting_list_ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <span>
#include <vector>

namespace silt::index {
namespace {

using List = std::vector<uint64_t>;

List RandomList(std::mt19937_64& rng, size_t size, uint64_t universe) {
  std::set<uint64_t> values;
  while (values.size() < size) values.insert(rng() % universe);
  return List(values.begin(), values.end());
}

List StdIntersect(const List& a, const List& b) {
  List out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

List StdSubtract(const List& a, const List& b) {
  List out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

TEST(PostingListOpsTest, EmptyInputs) {
  const List a = {1, 5, 9};
  EXPECT_EQ(IntersectPostings(a, {}), List());
  EXPECT_EQ(IntersectPostings({}, a), List());
  EXPECT_EQ(SubtractPostings(a, {}), a);
  EXPECT_EQ(SubtractPostings({}, a), List());
  EXPECT_EQ(UnionPostings({}), List());
}

TEST(PostingListOpsTest, SmallExamples) {
  const List a = {1, 3, 5, 7, 9};
  const List b = {2, 3, 4, 9, 10};
  EXPECT_EQ(IntersectPostings(a, b), (List{3, 9}));
  EXPECT_EQ(SubtractPostings(a, b), (List{1, 5, 7}));
  const std::span<const uint64_t> lists[] = {a, b};
  EXPECT_EQ(UnionPostings(lists), (List{1, 2, 3, 4, 5, 7, 9, 10}));
}

// Sizes from equal to 1:10000 exercise both the merge and the galloping paths, with values at
// both ends of the longer list.
TEST(PostingListOpsTest, AgreeWithStdAlgorithmsForEverySizeRatio) {
  std::mt19937_64 rng(7);
  for (size_t small : {1u, 2u, 10u, 100u, 1000u}) {
    for (size_t large : {1u, 50u, 1000u, 20000u}) {
      for (uint64_t universe : {uint64_t{2} * (small + large), uint64_t{1} << 40}) {
        const List a = RandomList(rng, small, universe);
        const List b = RandomList(rng, large, universe);
        EXPECT_EQ(IntersectPostings(a, b), StdIntersect(a, b)) << small << " " << large;
        EXPECT_EQ(IntersectPostings(b, a), StdIntersect(a, b)) << small << " " << large;
        EXPECT_EQ(SubtractPostings(a, b), StdSubtract(a, b)) << small << " " << large;
        EXPECT_EQ(SubtractPostings(b, a), StdSubtract(b, a)) << small << " " << large;
      }
    }
  }
}

TEST(PostingListOpsTest, GallopFindsFirstAndLastElements) {
  List large;
  for (uint64_t i = 0; i < 100000; ++i) large.push_back(i * 2);
  EXPECT_EQ(IntersectPostings(List{0, 199998}, large), (List{0, 199998}));
  EXPECT_EQ(IntersectPostings(List{1, 199999, 200000}, large), List());
  EXPECT_EQ(SubtractPostings(List{0, 3, 199998, 300000}, large), (List{3, 300000}));
}

TEST(PostingListOpsTest, UnionDeduplicatesOverlappingLists) {
  std::mt19937_64 rng(3);
  const List a = RandomList(rng, 500, 2000);
  const List b = RandomList(rng, 700, 2000);
  const List c = RandomList(rng, 10, 2000);
  std::set<uint64_t> expected(a.begin(), a.end());
  expected.insert(b.begin(), b.end());
  expected.insert(c.begin(), c.end());
  const std::span<const uint64_t> lists[] = {a, b, c};
  EXPECT_EQ(UnionPostings(lists), List(expected.begin(), expected.end()));
}

TEST(PostingListOpsTest, ContainsUsesExactMatch) {
  const List a = {2, 4, 8};
  EXPECT_TRUE(PostingsContain(a, 4));
  EXPECT_FALSE(PostingsContain(a, 5));
  EXPECT_FALSE(PostingsContain({}, 5));
}

}  // namespace
}  // namespace silt::index
