// Histogram: counts observations (latencies, sizes) into buckets with fixed upper bounds, one per
// label set, plus their sum. Bucket bounds are inclusive ("le": a value equal to a bound counts in
// that bucket); values above the last bound, and NaN, count only in the implicit +Inf bucket.
// Thread-safety: Observe may be called concurrently and never locks or allocates. A scrape that
// races with Observe may see a sum that lags the counts by the racing observations; the +Inf
// bucket always equals _count because both are computed from one read of the buckets.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/metrics/atomic_double.h"

namespace silt::metrics {

class Histogram {
 public:
  // `bounds` must be finite and strictly increasing (the Registry validates them); it is shared
  // by all children of one family.
  explicit Histogram(std::shared_ptr<const std::vector<double>> bounds);
  Histogram(const Histogram&) = delete;
  Histogram& operator=(const Histogram&) = delete;

  void Observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then the +Inf bucket (== count)
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot Read() const;

  const std::vector<double>& bounds() const { return *bounds_; }

  // Appends the _bucket lines (le last among the labels), then _sum and _count. `labels` is the
  // rendered label list without braces (empty for none).
  void AppendSamples(std::string_view name, std::string_view labels, std::string* out) const;

 private:
  std::shared_ptr<const std::vector<double>> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // per bucket, not cumulative; size + 1
  AtomicDouble sum_;
};

// `count` bounds start, start*factor, start*factor^2, ... Preconditions: start > 0, factor > 1,
// count >= 1.
std::vector<double> ExponentialBuckets(double start, double factor, int count);
// `count` bounds start, start+width, start+2*width, ... Preconditions: width > 0, count >= 1.
std::vector<double> LinearBuckets(double start, double width, int count);

}  // namespace silt::metrics
