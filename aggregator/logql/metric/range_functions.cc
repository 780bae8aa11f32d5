// Range functions over one window (range_functions.h).
#include "aggregator/logql/metric/range_functions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace silt::logql::metric {
namespace {

double Sum(std::span<const RangeSample> window) {
  double sum = 0;
  for (const RangeSample& s : window) sum += s.value;
  return sum;
}

double Mean(std::span<const RangeSample> window) {
  double mean = 0;
  double count = 0;
  for (const RangeSample& s : window) {
    count++;
    if (std::isinf(mean)) {
      if (std::isinf(s.value) && (mean > 0) == (s.value > 0)) continue;
      if (!std::isinf(s.value) && !std::isnan(s.value)) continue;
    }
    mean += s.value / count - mean / count;
  }
  return mean;
}

double Variance(std::span<const RangeSample> window) {
  double aux = 0;
  double count = 0;
  double mean = 0;
  for (const RangeSample& s : window) {
    count++;
    const double delta = s.value - mean;
    mean += delta / count;
    aux += delta * (s.value - mean);
  }
  return aux / count;
}

double Min(std::span<const RangeSample> window) {
  double min = window.front().value;
  for (const RangeSample& s : window) {
    if (s.value < min || std::isnan(min)) min = s.value;
  }
  return min;
}

double Max(std::span<const RangeSample> window) {
  double max = window.front().value;
  for (const RangeSample& s : window) {
    if (s.value > max || std::isnan(max)) max = s.value;
  }
  return max;
}

// Prometheus' extrapolatedRate with isCounter and isRate, in seconds.
double CounterRate(std::span<const RangeSample> window, int64_t window_end, int64_t range_ns) {
  if (window.size() < 2) return 0;
  const RangeSample& first = window.front();
  const RangeSample& last = window.back();
  double result = last.value - first.value;
  double previous = 0;
  for (const RangeSample& s : window) {
    if (s.value < previous) result += previous;
    previous = s.value;
  }
  double to_start = static_cast<double>(first.timestamp_ns - (window_end - range_ns)) / 1e9;
  const double to_end = static_cast<double>(window_end - last.timestamp_ns) / 1e9;
  const double sampled = static_cast<double>(last.timestamp_ns - first.timestamp_ns) / 1e9;
  const double average_gap = sampled / static_cast<double>(window.size() - 1);
  if (result > 0 && first.value >= 0) {
    const double to_zero = sampled * (first.value / result);
    if (to_zero < to_start) to_start = to_zero;
  }
  const double threshold = average_gap * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : average_gap / 2;
  interval += to_end < threshold ? to_end : average_gap / 2;
  result = result * (interval / sampled);
  return result / (static_cast<double>(range_ns) / 1e9);
}

}  // namespace

double Quantile(double phi, std::span<double> values) {
  if (values.empty() || std::isnan(phi)) return std::numeric_limits<double>::quiet_NaN();
  if (phi < 0) return -std::numeric_limits<double>::infinity();
  if (phi > 1) return std::numeric_limits<double>::infinity();
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  const double rank = phi * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

double EvalRangeFunction(RangeOp op, std::optional<double> param,
                         std::span<const RangeSample> window, int64_t window_end,
                         int64_t range_ns) {
  const double seconds = static_cast<double>(range_ns) / 1e9;
  switch (op) {
    case RangeOp::kCountOverTime: return static_cast<double>(window.size());
    case RangeOp::kRate:
    case RangeOp::kBytesRate: return Sum(window) / seconds;
    case RangeOp::kBytesOverTime:
    case RangeOp::kSumOverTime: return Sum(window);
    case RangeOp::kAvgOverTime: return Mean(window);
    case RangeOp::kMinOverTime: return Min(window);
    case RangeOp::kMaxOverTime: return Max(window);
    case RangeOp::kStdvarOverTime: return Variance(window);
    case RangeOp::kStddevOverTime: return std::sqrt(Variance(window));
    case RangeOp::kQuantileOverTime: {
      std::vector<double> values;
      values.reserve(window.size());
      for (const RangeSample& s : window) values.push_back(s.value);
      return Quantile(param.value_or(0), values);
    }
    case RangeOp::kFirstOverTime: return window.front().value;
    case RangeOp::kLastOverTime: return window.back().value;
    case RangeOp::kRateCounter: return CounterRate(window, window_end, range_ns);
    case RangeOp::kAbsentOverTime: return 1;
  }
  return 0;
}

}  // namespace silt::logql::metric
