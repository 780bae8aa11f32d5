#include "aggregator/store/block_pool.h"

#include <gtest/gtest.h>

#include <memory>
#include <utility>

#include "aggregator/store/entry_arena.h"

namespace silt::store {
namespace {

TEST(BlockPoolTest, ReturnedBlockIsReused) {
  BlockPool pool(1 << 20);
  std::unique_ptr<char[]> block = pool.Get(4096);
  char* address = block.get();
  pool.Put(std::move(block), 4096);
  EXPECT_EQ(pool.free_bytes(), 4096u);
  EXPECT_EQ(pool.Get(4096).get(), address);
  EXPECT_EQ(pool.free_bytes(), 0u);
}

TEST(BlockPoolTest, SizesAreKeptApart) {
  BlockPool pool(1 << 20);
  std::unique_ptr<char[]> small = pool.Get(1024);
  char* small_address = small.get();
  pool.Put(std::move(small), 1024);
  std::unique_ptr<char[]> large = pool.Get(8192);
  EXPECT_NE(large.get(), small_address);
  EXPECT_EQ(pool.free_bytes(), 1024u);
  EXPECT_EQ(pool.Get(1024).get(), small_address);
}

TEST(BlockPoolTest, BlocksBeyondTheLimitAreFreed) {
  BlockPool pool(10000);
  pool.Put(pool.Get(4096), 4096);
  pool.Put(pool.Get(4096), 4096);  // the same block again: still one held
  std::unique_ptr<char[]> a = pool.Get(4096);
  std::unique_ptr<char[]> b = pool.Get(4096);
  std::unique_ptr<char[]> c = pool.Get(4096);
  pool.Put(std::move(a), 4096);
  pool.Put(std::move(b), 4096);
  pool.Put(std::move(c), 4096);  // would make 12288 > 10000: freed
  EXPECT_EQ(pool.free_bytes(), 8192u);
}

TEST(BlockPoolTest, ArenaReturnsItsBlocksOnDestruction) {
  auto pool = std::make_shared<BlockPool>(1 << 20);
  {
    EntryArena arena(4096, pool);
    for (int i = 0; i < 100; ++i) arena.Add(std::string(100, 'x'), {});
    EXPECT_EQ(pool->free_bytes(), 0u);
    EXPECT_GT(arena.allocated_bytes(), 10000u);
  }
  size_t returned = pool->free_bytes();
  EXPECT_GT(returned, 10000u);
  {
    EntryArena arena(4096, pool);
    for (int i = 0; i < 100; ++i) arena.Add(std::string(100, 'y'), {});
  }
  EXPECT_EQ(pool->free_bytes(), returned);  // took the same blocks and gave them back
}

}  // namespace
}  // namespace silt::store
