#include "aggregator/store/block_cache.h"

#include <algorithm>
#include <cassert>
#include <utility>

namespace silt::store {

size_t BlockCache::KeyHash::operator()(const Key& key) const {
  // A 64-bit multiply-xorshift mix; file ids and offsets are far from random.
  uint64_t h = key.file_id * 0x9E3779B97F4A7C15ULL ^ key.offset;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  return static_cast<size_t>(h);
}

BlockCache::BlockCache(size_t capacity_bytes, size_t shard_count)
    : capacity_(capacity_bytes),
      shard_capacity_(capacity_bytes / std::max<size_t>(1, shard_count)) {
  assert(shard_count >= 1);
  for (size_t i = 0; i < std::max<size_t>(1, shard_count); ++i) {
    shards_.push_back(std::make_unique<Shard>());
  }
}

BlockCache::~BlockCache() = default;

BlockCache::Shard& BlockCache::ShardFor(const Key& key) {
  size_t h = KeyHash()(key);
  return *shards_[(h >> 7) % shards_.size()];
}

std::shared_ptr<const ChunkBlock> BlockCache::Lookup(uint64_t file_id, uint64_t offset) {
  Key key{file_id, offset};
  Shard& shard = ShardFor(key);
  std::lock_guard<std::mutex> lock(shard.mu);
  auto it = shard.index.find(key);
  if (it == shard.index.end()) {
    counters_.misses.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  shard.lru.splice(shard.lru.begin(), shard.lru, it->second);
  counters_.hits.fetch_add(1, std::memory_order_relaxed);
  return it->second->block;
}

void BlockCache::EvictUntilFits(Shard& shard, size_t incoming) {
  while (!shard.lru.empty() && shard.charged + incoming > shard_capacity_) {
    Entry& victim = shard.lru.back();
    shard.charged -= victim.charge;
    shard.index.erase(victim.key);
    shard.lru.pop_back();
    counters_.evictions.fetch_add(1, std::memory_order_relaxed);
  }
}

void BlockCache::Insert(uint64_t file_id, uint64_t offset,
                        std::shared_ptr<const ChunkBlock> block) {
  size_t charge = block->MemoryBytes() + kEntryOverhead;
  if (charge > shard_capacity_) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Key key{file_id, offset};
  Shard& shard = ShardFor(key);
  std::shared_ptr<const ChunkBlock> replaced;  // released after the lock
  std::lock_guard<std::mutex> lock(shard.mu);
  if (auto it = shard.index.find(key); it != shard.index.end()) {
    shard.charged -= it->second->charge;
    replaced = std::move(it->second->block);
    shard.lru.erase(it->second);
    shard.index.erase(it);
  }
  EvictUntilFits(shard, charge);
  shard.lru.push_front(Entry{key, std::move(block), charge});
  shard.index.emplace(key, shard.lru.begin());
  shard.charged += charge;
  counters_.inserts.fetch_add(1, std::memory_order_relaxed);
}

void BlockCache::EraseFile(uint64_t file_id) {
  for (const std::unique_ptr<Shard>& shard : shards_) {
    std::list<Entry> dropped;  // freed after the lock
    std::lock_guard<std::mutex> lock(shard->mu);
    for (auto it = shard->lru.begin(); it != shard->lru.end();) {
      auto next = std::next(it);
      if (it->key.file_id == file_id) {
        shard->charged -= it->charge;
        shard->index.erase(it->key);
        dropped.splice(dropped.end(), shard->lru, it);
      }
      it = next;
    }
  }
}

size_t BlockCache::charged_bytes() const {
  size_t total = 0;
  for (const std::unique_ptr<Shard>& shard : shards_) {
    std::lock_guard<std::mutex> lock(shard->mu);
    total += shard->charged;
  }
  return total;
}

}  // namespace silt::store
