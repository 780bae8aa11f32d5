#include "tests/bench/loggen/distributions.h"

#include <algorithm>
#include <cassert>

namespace silt::loggen {
namespace {

// Quantiles of a log-normal distribution at p = 0.002, 1/32, 2/32, ..., 31/32, 0.998 (computed
// once offline; constants so that no libm result can differ between machines).
constexpr int64_t kLatencyQuantilesMicros[] = {
    1125,  3105,  4313,  5353,  6331,  7284,  8237,  9201,  10188, 11208,  12268,
    13376, 14543, 15777, 17089, 18492, 20000, 21631, 23407, 25354, 27505,  29904,
    32606, 35690, 39261, 43474, 48564, 54911, 63186, 74720, 92745, 128826, 355631,
};
constexpr int64_t kResponseBytesQuantiles[] = {
    79,   267,  397,  514,  629,  744,  862,  985,   1113,  1248,  1391,
    1543, 1706, 1881, 2070, 2275, 2500, 2747, 3019,  3323,  3664,  4051,
    4494, 5009, 5616, 6347, 7249, 8400, 9941, 12157, 15756, 23373, 79050,
};
static_assert(std::size(kLatencyQuantilesMicros) == 33);
static_assert(std::size(kResponseBytesQuantiles) == 33);

// A value between two neighbouring quantiles chosen uniformly, then uniformly inside the gap.
int64_t FromQuantiles(Rng& rng, const int64_t (&quantiles)[33]) {
  const size_t bucket = rng.Uniform(32);
  const int64_t lo = quantiles[bucket];
  const int64_t hi = quantiles[bucket + 1];
  return lo + static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(hi - lo) + 1));
}

}  // namespace

WeightedPicker::WeightedPicker(std::span<const vocab::Weighted> table) : table_(table) {
  assert(!table.empty());
  uint64_t total = 0;
  cumulative_.reserve(table.size());
  for (const vocab::Weighted& entry : table) {
    total += entry.weight;
    cumulative_.push_back(total);
  }
  assert(total > 0);
  if (total <= 65536 && table.size() <= 65536) {
    slots_.reserve(total);
    for (size_t i = 0; i < table.size(); ++i) {
      slots_.insert(slots_.end(), table[i].weight, static_cast<uint16_t>(i));
    }
  }
}

size_t WeightedPicker::PickIndex(Rng& rng) const {
  const uint64_t point = rng.Uniform(cumulative_.back());
  if (!slots_.empty()) return slots_[point];
  return static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), point) -
                             cumulative_.begin());
}

int64_t LatencyMicros(Rng& rng) {
  if (rng.Uniform(200) == 0) return rng.Between(500'000, 10'000'000);
  return FromQuantiles(rng, kLatencyQuantilesMicros);
}

int64_t ResponseBytes(Rng& rng) { return FromQuantiles(rng, kResponseBytesQuantiles); }

uint64_t SkewedIndex(Rng& rng, uint64_t n) {
  assert(n > 0 && n < (uint64_t{1} << 32));
  return (rng.Uniform(n) * rng.Uniform(n)) / n;
}

}  // namespace silt::loggen
