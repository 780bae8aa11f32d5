#include "aggregator/store/block_cache.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/store/chunk_block_builder.h"

namespace silt::store {
namespace {

// A parsed block of about `bytes` bytes.
std::shared_ptr<const ChunkBlock> MakeBlock(size_t bytes) {
  ChunkBlockBuilder builder(false);
  builder.Add(1, std::string(bytes, 'x'), {});
  BlockInfo info{.uncompressed_size = static_cast<uint32_t>(builder.Finish().size()),
                 .min_ts = 1,
                 .max_ts = 1,
                 .entry_count = 1};
  auto block = ChunkBlock::Parse(std::string(builder.Finish()), info);
  EXPECT_TRUE(block.ok()) << block.status();
  return *block;
}

TEST(BlockCacheTest, LookupReturnsWhatWasInserted) {
  BlockCache cache(1 << 20, 1);
  auto block = MakeBlock(1000);
  EXPECT_EQ(cache.Lookup(1, 0), nullptr);
  cache.Insert(1, 0, block);
  EXPECT_EQ(cache.Lookup(1, 0), block);
  EXPECT_EQ(cache.Lookup(2, 0), nullptr);
  EXPECT_EQ(cache.Lookup(1, 1), nullptr);
  EXPECT_EQ(cache.counters().hits.load(), 1u);
  EXPECT_EQ(cache.counters().misses.load(), 3u);
}

TEST(BlockCacheTest, EvictsLeastRecentlyUsedToStayWithinBudget) {
  auto block = MakeBlock(10000);
  size_t charge = block->MemoryBytes() + BlockCache::kEntryOverhead;
  BlockCache cache(3 * charge, 1);
  cache.Insert(1, 0, MakeBlock(10000));
  cache.Insert(1, 1, MakeBlock(10000));
  cache.Insert(1, 2, MakeBlock(10000));
  ASSERT_NE(cache.Lookup(1, 0), nullptr);  // 0 is now the most recently used
  cache.Insert(1, 3, MakeBlock(10000));    // evicts 1
  EXPECT_NE(cache.Lookup(1, 0), nullptr);
  EXPECT_EQ(cache.Lookup(1, 1), nullptr);
  EXPECT_NE(cache.Lookup(1, 2), nullptr);
  EXPECT_NE(cache.Lookup(1, 3), nullptr);
  EXPECT_LE(cache.charged_bytes(), cache.capacity());
  EXPECT_EQ(cache.counters().evictions.load(), 1u);
}

TEST(BlockCacheTest, EvictedBlockStaysAliveForItsUser) {
  auto block = MakeBlock(10000);
  BlockCache cache(block->MemoryBytes() + BlockCache::kEntryOverhead, 1);
  cache.Insert(1, 0, block);
  std::shared_ptr<const ChunkBlock> held = cache.Lookup(1, 0);
  cache.Insert(1, 1, MakeBlock(10000));
  EXPECT_EQ(cache.Lookup(1, 0), nullptr);
  EXPECT_EQ(held->line(0), std::string(10000, 'x'));
}

TEST(BlockCacheTest, BlockLargerThanAShardIsNotKept) {
  BlockCache cache(64 * 1024, 4);  // 16 KiB per shard
  cache.Insert(1, 0, MakeBlock(20000));
  EXPECT_EQ(cache.Lookup(1, 0), nullptr);
  EXPECT_EQ(cache.charged_bytes(), 0u);
  EXPECT_EQ(cache.counters().rejected.load(), 1u);
}

TEST(BlockCacheTest, ZeroCapacityCachesNothing) {
  BlockCache cache(0);
  cache.Insert(1, 0, MakeBlock(10));
  EXPECT_EQ(cache.Lookup(1, 0), nullptr);
}

TEST(BlockCacheTest, InsertReplacesAndRecharges) {
  BlockCache cache(1 << 20, 1);
  cache.Insert(1, 0, MakeBlock(1000));
  size_t small = cache.charged_bytes();
  auto big = MakeBlock(5000);
  cache.Insert(1, 0, big);
  EXPECT_EQ(cache.Lookup(1, 0), big);
  EXPECT_EQ(cache.charged_bytes(), big->MemoryBytes() + BlockCache::kEntryOverhead);
  EXPECT_GT(cache.charged_bytes(), small);
}

TEST(BlockCacheTest, EraseFileDropsOnlyThatFile) {
  BlockCache cache(1 << 20);
  for (uint64_t offset = 0; offset < 20; ++offset) {
    cache.Insert(1, offset, MakeBlock(100));
    cache.Insert(2, offset, MakeBlock(100));
  }
  cache.EraseFile(1);
  for (uint64_t offset = 0; offset < 20; ++offset) {
    EXPECT_EQ(cache.Lookup(1, offset), nullptr);
    EXPECT_NE(cache.Lookup(2, offset), nullptr);
  }
  EXPECT_EQ(cache.charged_bytes(),
            20 * (MakeBlock(100)->MemoryBytes() + BlockCache::kEntryOverhead));
}

TEST(BlockCacheTest, FileIdsAreUnique) {
  BlockCache cache(0);
  uint64_t a = cache.NewFileId();
  uint64_t b = cache.NewFileId();
  EXPECT_NE(a, b);
  EXPECT_NE(a, 0u);
}

TEST(BlockCacheTest, ConcurrentUseKeepsTheBudget) {
  auto block = MakeBlock(2000);
  size_t charge = block->MemoryBytes() + BlockCache::kEntryOverhead;
  BlockCache cache(40 * charge, 4);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5000; ++i) {
        uint64_t offset = static_cast<uint64_t>((i * 7 + t) % 100);
        if (auto hit = cache.Lookup(1, offset)) {
          if (hit != block) ++wrong;
        } else {
          cache.Insert(1, offset, block);
        }
        if (i % 1000 == 999) cache.EraseFile(2);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_LE(cache.charged_bytes(), cache.capacity());
  EXPECT_EQ(cache.counters().hits.load() + cache.counters().misses.load(), 20000u);
}

}  // namespace
}  // namespace silt::store
