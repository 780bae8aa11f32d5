// A Prometheus histogram read from /metrics text (the exposition format: `<name>_bucket{le="x"} n`
// lines, cumulative) and its quantiles estimated as Prometheus' histogram_quantile does: linear
// interpolation inside the bucket holding the rank. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/status/result.h"

namespace silt::bench {

struct Histogram {
  std::vector<std::pair<double, double>> buckets;  // (upper bound, cumulative count), ascending;
                                                   // the last bound is +Inf
  double count = 0;
  double sum = 0;
};

// Finds histogram `name` (without the _bucket suffix) in `metrics_text`. NotFound naming it when
// it has no bucket lines; Corruption naming the line when a value does not parse.
Result<Histogram> ParseHistogram(std::string_view metrics_text, const std::string& name);

// The q-quantile (0 < q < 1) in the histogram's unit; 0 for an empty histogram. A rank in the
// +Inf bucket returns the largest finite bound (as Prometheus does).
double HistogramQuantile(const Histogram& histogram, double q);

}  // namespace silt::bench
