// Distributions: the shapes the generator draws values from, all in integer arithmetic on Rng so
// they are identical on every machine. Weighted choices over vocabulary tables, log-normal-ish
// latencies and response sizes (interpolated between fixed quantiles), skewed indexes (a few hot
// clients, ids and keys; a long tail of cold ones). Stateless apart from the tables; a
// WeightedPicker is immutable after construction and safe to share between threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {

// Picks an entry of a weighted table with probability weight / sum of weights, in O(1) through a
// lookup table (one slot per unit of weight) when the total weight is at most 65536.
class WeightedPicker {
 public:
  // Precondition: `table` is non-empty with a positive total weight.
  explicit WeightedPicker(std::span<const vocab::Weighted> table);

  // The index of the chosen entry.
  size_t PickIndex(Rng& rng) const;
  std::string_view Pick(Rng& rng) const { return table_[PickIndex(rng)].text; }

 private:
  std::span<const vocab::Weighted> table_;
  std::vector<uint64_t> cumulative_;  // cumulative_[i] = sum of weights of entries 0..i
  std::vector<uint16_t> slots_;       // slot w -> entry index; empty for large totals
};

// Request latency in microseconds: log-normal with median 20ms and sigma 1 between the 0.2% and
// 99.8% quantiles, and one request in 200 a slow outlier of 0.5..10 s.
int64_t LatencyMicros(Rng& rng);

// Response body size in bytes: log-normal with median 2500 bytes and sigma 1.2.
int64_t ResponseBytes(Rng& rng);

// A value in [0, n) where small values are much more likely (density ~ -ln(x/n)), as with hot
// keys and frequent clients. Precondition: 0 < n < 2^32.
uint64_t SkewedIndex(Rng& rng, uint64_t n);

// Picks a uniform element. Precondition: `items` is non-empty.
template <typename T>
const T& PickOne(Rng& rng, std::span<const T> items) {
  return items[rng.Uniform(items.size())];
}

}  // namespace silt::loggen
