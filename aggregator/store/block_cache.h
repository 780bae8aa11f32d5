// BlockCache: a bounded, shared LRU cache of decompressed chunk blocks, keyed by (chunk file id,
// block offset). Every ChunkReader given the cache goes through it, so a hot block is read and
// decompressed once however many queries touch it. The budget is in bytes (ChunkBlock::
// MemoryBytes plus a small per-entry overhead), split evenly over shards, each with its own
// mutex and LRU list, so concurrent readers rarely contend. Blocks are handed out as
// shared_ptr: an evicted block stays alive while a reader still uses it.
//
// File ids come from NewFileId(), so two chunk files (or two openings of one) never share keys.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "aggregator/store/chunk_block.h"

namespace silt::store {

struct BlockCacheCounters {
  std::atomic<uint64_t> hits{0};
  std::atomic<uint64_t> misses{0};
  std::atomic<uint64_t> inserts{0};
  std::atomic<uint64_t> evictions{0};
  std::atomic<uint64_t> rejected{0};  // blocks larger than a shard's budget, never kept
};

class BlockCache {
 public:
  static constexpr size_t kDefaultShardCount = 16;
  // Bytes charged per cached block on top of ChunkBlock::MemoryBytes (list and map nodes).
  static constexpr size_t kEntryOverhead = 96;

  // A cache holding at most `capacity_bytes` (0 disables caching) over `shard_count` (>= 1)
  // shards.
  explicit BlockCache(size_t capacity_bytes, size_t shard_count = kDefaultShardCount);
  ~BlockCache();
  BlockCache(const BlockCache&) = delete;
  BlockCache& operator=(const BlockCache&) = delete;

  // A file id not handed out before by this cache (starts at 1).
  uint64_t NewFileId() { return next_file_id_.fetch_add(1, std::memory_order_relaxed); }

  // The cached block, marked most recently used, or nullptr.
  std::shared_ptr<const ChunkBlock> Lookup(uint64_t file_id, uint64_t offset);
  // Caches `block` (replacing an older one under the key), evicting least recently used blocks
  // of the shard until it fits. A block larger than a shard's budget is not kept.
  void Insert(uint64_t file_id, uint64_t offset, std::shared_ptr<const ChunkBlock> block);
  // Drops every block of `file_id` (when its chunk file is deleted or closed for good).
  void EraseFile(uint64_t file_id);

  size_t capacity() const { return capacity_; }
  // Bytes currently charged, summed over shards.
  size_t charged_bytes() const;
  const BlockCacheCounters& counters() const { return counters_; }

 private:
  struct Key {
    uint64_t file_id;
    uint64_t offset;
    friend bool operator==(const Key&, const Key&) = default;
  };
  struct KeyHash {
    size_t operator()(const Key& key) const;
  };
  struct Entry {
    Key key;
    std::shared_ptr<const ChunkBlock> block;
    size_t charge;
  };
  struct Shard {
    std::mutex mu;
    std::list<Entry> lru;  // front = most recently used
    std::unordered_map<Key, std::list<Entry>::iterator, KeyHash> index;
    size_t charged = 0;
  };

  Shard& ShardFor(const Key& key);
  void EvictUntilFits(Shard& shard, size_t incoming);

  const size_t capacity_;
  const size_t shard_capacity_;
  std::vector<std::unique_ptr<Shard>> shards_;
  std::atomic<uint64_t> next_file_id_{1};
  BlockCacheCounters counters_;
};

}  // namespace silt::store
