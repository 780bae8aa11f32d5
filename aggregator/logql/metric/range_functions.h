// The range functions of LogQL (`rate`, `count_over_time`, `quantile_over_time`, ...) applied to
// the samples of one window, with Loki's arithmetic (the same formulas and the same order of
// floating-point operations, so results match Loki's to the last bit):
//   count_over_time  number of samples            rate / bytes_rate   sum / range seconds
//   bytes_over_time  sum (a sample is a line's bytes)   sum_over_time    sum
//   avg_over_time    running mean (mean += v/n - mean/n)
//   min/max_over_time   NaN is replaced by any later number
//   stdvar/stddev_over_time  Welford's population variance / its square root
//   quantile_over_time(φ)  Prometheus' interpolated quantile; φ < 0 gives -Inf, φ > 1 +Inf
//   first/last_over_time  the earliest / latest sample
//   rate_counter     Prometheus' extrapolated counter rate (resets add the previous value);
//                    0 with fewer than two samples, as Loki
// absent_over_time is not a per-window function (see range_evaluator.h).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "aggregator/logql/metric_expr.h"

namespace silt::logql::metric {

// One sample of a log range: the entry's time and its value (1 for a line, its byte count for
// bytes_*, the unwrapped number with `| unwrap`).
struct RangeSample {
  int64_t timestamp_ns = 0;
  double value = 0;
};

// Applies `op` to `window` (non-empty, in time order), the samples in
// (window_end - range_ns, window_end]. `param` is quantile_over_time's φ.
double EvalRangeFunction(RangeOp op, std::optional<double> param,
                         std::span<const RangeSample> window, int64_t window_end,
                         int64_t range_ns);

// Prometheus' quantile of `values` (sorted in place): linear interpolation between the closest
// ranks; NaN for an empty input or a NaN φ.
double Quantile(double phi, std::span<double> values);

}  // namespace silt::logql::metric
