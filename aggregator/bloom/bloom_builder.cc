#include "aggregator/bloom/bloom_builder.h"

#include <algorithm>

#define XXH_INLINE_ALL  // XXH3_64bits inlined here; same function, same values as hash::Xxh3
#include <xxhash.h>

namespace silt::bloom {
namespace {

constexpr size_t kInitialSlots = 1024;

// Inserts `hash` (nonzero) into a table with a free slot; returns true when it was new.
bool Insert(std::vector<uint64_t>& slots, uint64_t hash) {
  const size_t mask = slots.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    if (slots[i] == hash) return false;
    if (slots[i] == 0) {
      slots[i] = hash;
      return true;
    }
  }
}

}  // namespace

void BloomBuilder::Add(std::string_view key) { AddHash(XXH3_64bits(key.data(), key.size())); }

void BloomBuilder::AddHash(uint64_t hash) {
  if (hash == 0) {
    has_zero_ = true;
    return;
  }
  if (2 * (count_ + 1) > slots_.size()) Grow();
  if (Insert(slots_, hash)) ++count_;
}

void BloomBuilder::Grow() {
  std::vector<uint64_t> bigger(std::max(kInitialSlots, 2 * slots_.size()), 0);
  for (uint64_t hash : slots_) {
    if (hash != 0) Insert(bigger, hash);
  }
  slots_.swap(bigger);
}

BloomFilter BloomBuilder::Build(double false_positive_rate) const {
  BloomFilter filter(distinct_count(), false_positive_rate);
  for (uint64_t hash : slots_) {
    if (hash != 0) filter.AddHash(hash);
  }
  if (has_zero_) filter.AddHash(0);
  return filter;
}

void BloomBuilder::Clear() {
  std::fill(slots_.begin(), slots_.end(), 0);
  count_ = 0;
  has_zero_ = false;
}

}  // namespace silt::bloom
