#include "aggregator/engine/string_pool.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::engine {
namespace {

TEST(StringPoolTest, GivesBackTheCapacityOfARecycledStringEmptied) {
  StringPool pool(/*max_count=*/2, /*max_capacity=*/1 << 20);
  std::string s = pool.Get();
  EXPECT_TRUE(s.empty());
  s.assign(100000, 'x');
  const char* bytes = s.data();
  pool.Put(std::move(s));
  EXPECT_EQ(pool.size(), 1u);
  std::string again = pool.Get();
  EXPECT_TRUE(again.empty());
  EXPECT_GE(again.capacity(), 100000u);
  EXPECT_EQ(again.data(), bytes) << "the same buffer, not a copy";
  EXPECT_EQ(pool.size(), 0u);
}

TEST(StringPoolTest, KeepsAtMostMaxCountAndNothingOverMaxCapacity) {
  StringPool pool(/*max_count=*/2, /*max_capacity=*/1000);
  for (int i = 0; i < 3; ++i) pool.Put(std::string(500, 'a'));
  EXPECT_EQ(pool.size(), 2u);
  StringPool small(/*max_count=*/2, /*max_capacity=*/1000);
  small.Put(std::string(5000, 'b'));
  EXPECT_EQ(small.size(), 0u) << "a string over max_capacity is freed, not kept";
}

}  // namespace
}  // namespace silt::engine
