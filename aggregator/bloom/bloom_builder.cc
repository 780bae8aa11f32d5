#include "aggregator/bloom/bloom_builder.h"

#include <algorithm>

#define XXH_INLINE_ALL  // XXH3_64bits inlined here; same function, same values as hash::Xxh3
#include <xxhash.h>

namespace silt::bloom {
namespace {

// Hashes whose slots are prefetched before any of them is probed: enough to cover the latency
// of an L2 hit, few enough to stay in flight.
constexpr size_t kPrefetchBatch = 16;

}  // namespace

void BloomBuilder::Add(std::string_view key) { AddHash(XXH3_64bits(key.data(), key.size())); }

void BloomBuilder::AddHashes(std::span<const uint64_t> hashes) {
  for (size_t begin = 0; begin < hashes.size(); begin += kPrefetchBatch) {
    const size_t end = std::min(hashes.size(), begin + kPrefetchBatch);
    hashes_.Reserve(hashes_.size() + (end - begin));
    for (size_t i = begin; i < end; ++i) hashes_.Prefetch(hashes[i]);
    for (size_t i = begin; i < end; ++i) hashes_.Insert(hashes[i]);
  }
}

BloomFilter BloomBuilder::Build(double false_positive_rate) const {
  BloomFilter filter(distinct_count(), false_positive_rate);
  for (uint64_t hash : hashes_.members()) filter.AddHash(hash);
  return filter;
}

}  // namespace silt::bloom
