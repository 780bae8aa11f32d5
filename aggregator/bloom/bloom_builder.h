// BloomBuilder: collects the distinct key hashes of one block, then builds a BloomFilter sized
// for exactly that many keys. Sizing from the distinct count (not from a guess made before the
// block's contents are known) is what keeps the false-positive rate at its target. Duplicates
// are dropped on insert by an open-addressing hash set of 64-bit hashes (linear probing, grown
// at half load), a few nanoseconds per key; Clear keeps the table for the next block.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "aggregator/bloom/bloom_filter.h"

namespace silt::bloom {

class BloomBuilder {
 public:
  BloomBuilder() = default;

  // Same as AddHash(BloomFilter::HashKey(key)), with the hash inlined (this is the hot loop of
  // chunk writing).
  void Add(std::string_view key);
  void AddHash(uint64_t hash);
  // The number of distinct hashes added since the last Clear.
  size_t distinct_count() const { return count_ + (has_zero_ ? 1 : 0); }
  // A filter holding every hash added, sized for distinct_count() at `false_positive_rate`
  // (in (0, 1)).
  BloomFilter Build(double false_positive_rate) const;
  // Forgets every hash; keeps the table's memory.
  void Clear();

 private:
  void Grow();

  std::vector<uint64_t> slots_;  // 0 = empty; the hash 0 is tracked by has_zero_
  size_t count_ = 0;
  bool has_zero_ = false;
};

}  // namespace silt::bloom
