// BloomBuilder: collects the distinct key hashes of one block, then builds a BloomFilter sized
// for exactly that many keys. Sizing from the distinct count (not from a guess made before the
// block's contents are known) is what keeps the false-positive rate at its target. Duplicates
// are dropped on insert by a Uint64Set; AddHashes takes a batch (a line's terms) and prefetches
// every slot before probing, so the cache misses overlap instead of queueing. Clear keeps the
// memory for the next block. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/bloom/uint64_set.h"

namespace silt::bloom {

class BloomBuilder {
 public:
  BloomBuilder() = default;

  // Same as AddHash(BloomFilter::HashKey(key)).
  void Add(std::string_view key);
  void AddHash(uint64_t hash) { hashes_.Insert(hash); }
  // Same as AddHash of each hash in order; faster for more than a few.
  void AddHashes(std::span<const uint64_t> hashes);
  // The number of distinct hashes added since the last Clear.
  size_t distinct_count() const { return hashes_.size(); }
  // The distinct hashes in the order they were first added; valid until the next Add or Clear.
  std::span<const uint64_t> distinct_hashes() const { return hashes_.members(); }
  // A filter holding every hash added, sized for distinct_count() at `false_positive_rate`
  // (in (0, 1)).
  BloomFilter Build(double false_positive_rate) const;
  // Forgets every hash; keeps the memory.
  void Clear() { hashes_.Clear(); }

 private:
  Uint64Set hashes_;
};

}  // namespace silt::bloom
