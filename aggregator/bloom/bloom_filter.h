// BloomFilter: a classic Bloom filter over 64-bit XXH3 hashes of byte strings, sized from the
// expected number of distinct keys and a target false-positive rate. The k bit positions are
// derived from one XXH3-64 by Kirsch-Mitzenmacher double hashing (h1 + i*h2), each reduced to
// [0, bits) by a multiply-shift, so a key costs one hash however large k is.
//
// Why not a blocked (cache-line) filter: Silt's filters are per block (a few thousand distinct
// terms, a few KiB), so they sit in L1/L2 while being built and a query probes only a handful of
// terms per block; cache misses are not the cost. The classic layout keeps the textbook
// false-positive formula exact, so the configured rate is the rate one gets, with fewer bits
// than a blocked filter needs for the same rate.
//
// Serialized form (little-endian), see docs/formats/chunk.md "Bloom filter":
//   u8 version (2) | u8 k (1..30) | u16 reserved (0) | u32 word count W (>= 1) | W x u64 bit words
// Version 2 has version 1's bits; it says which terms a chunk block's filter holds: since
// version 2 a key/value pair whose value its tokens stand for may have no term (kv_term.h), so
// a reader must know to look for the value's tokens (bloom_query.h). Version 1 was never
// released; this build reads version 2 only.
//
// Thread-safety: const methods may be called concurrently; Add needs exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/hash/xxh3.h"
#include "shared/status/result.h"

namespace silt::bloom {

inline constexpr double kDefaultFalsePositiveRate = 0.01;
inline constexpr uint8_t kBloomFormatVersion = 2;
inline constexpr size_t kBloomHeaderSize = 8;
inline constexpr int kMaxHashCount = 30;

class BloomFilter {
 public:
  // A filter for `expected_count` distinct keys at `false_positive_rate`, which must be in
  // (0, 1) (asserted). Zero keys still get one 64-bit word.
  explicit BloomFilter(size_t expected_count,
                       double false_positive_rate = kDefaultFalsePositiveRate) {
    Reset(expected_count, false_positive_rate);
  }

  // Makes this the empty filter the constructor would make for these arguments, keeping the
  // memory of its words: a writer that builds one filter per block reuses one.
  void Reset(size_t expected_count, double false_positive_rate = kDefaultFalsePositiveRate);

  // The hash a key is filed under; Add/MayContain of a key equal AddHash/MayContainHash of it.
  static uint64_t HashKey(std::string_view key) { return hash::Xxh3(key); }

  void Add(std::string_view key) { AddHash(HashKey(key)); }
  void AddHash(uint64_t hash);
  // False only when the key was certainly never added.
  bool MayContain(std::string_view key) const { return MayContainHash(HashKey(key)); }
  bool MayContainHash(uint64_t hash) const;

  size_t bit_count() const { return words_.size() * 64; }
  int hash_count() const { return hash_count_; }
  // Bytes of the serialized form.
  size_t SerializedSize() const { return kBloomHeaderSize + words_.size() * 8; }

  // Appends the serialized form to `out`.
  void AppendTo(std::string* out) const;
  // Parses a serialized filter. Corruption (naming the problem) on an unknown version, k out of
  // range, a size that does not match the word count, or nonzero reserved bits. Never reads
  // outside `bytes`.
  static Result<BloomFilter> Deserialize(std::string_view bytes);

  friend bool operator==(const BloomFilter&, const BloomFilter&) = default;

 private:
  BloomFilter(std::vector<uint64_t> words, int hash_count)
      : words_(std::move(words)), hash_count_(hash_count) {}

  std::vector<uint64_t> words_;
  int hash_count_ = 1;
};

}  // namespace silt::bloom
