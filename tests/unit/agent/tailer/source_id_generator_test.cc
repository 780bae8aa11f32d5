#include "agent/tailer/source_id_generator.h"

#include <gtest/gtest.h>

#include <set>

namespace silt::agent {
namespace {

TEST(SourceIdGeneratorTest, SameSeedGivesTheSameIds) {
  SeededSourceIdGenerator a(42);
  SeededSourceIdGenerator b(42);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.Next(), b.Next());
}

TEST(SourceIdGeneratorTest, IdsAreDistinctAndNonZero) {
  SeededSourceIdGenerator ids(0);
  std::set<uint64_t> seen;
  for (int i = 0; i < 10000; ++i) {
    const uint64_t id = ids.Next();
    EXPECT_NE(id, 0u);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 10000u);
}

TEST(SourceIdGeneratorTest, DifferentSeedsGiveDifferentIds) {
  SeededSourceIdGenerator a(1);
  SeededSourceIdGenerator b(2);
  EXPECT_NE(a.Next(), b.Next());
}

TEST(SourceIdGeneratorTest, EntropySeedsDiffer) {
  EXPECT_NE(EntropySeed(), EntropySeed());  // equal with probability 2^-64
}

}  // namespace
}  // namespace silt::agent
