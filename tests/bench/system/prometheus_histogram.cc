#include "tests/bench/system/prometheus_histogram.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace silt::bench {
namespace {

bool ParseNumber(std::string_view text, double* value) {
  if (text == "+Inf") {
    *value = std::numeric_limits<double>::infinity();
    return true;
  }
  const std::string copy(text);
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(copy.c_str(), &end);
  return errno == 0 && end == copy.c_str() + copy.size() && !copy.empty();
}

// The value after the last space of `line`.
std::string_view LastField(std::string_view line) {
  const size_t space = line.rfind(' ');
  return space == std::string_view::npos ? std::string_view() : line.substr(space + 1);
}

}  // namespace

Result<Histogram> ParseHistogram(std::string_view metrics_text, const std::string& name) {
  Histogram histogram;
  const std::string bucket = name + "_bucket{", sum = name + "_sum ", count = name + "_count ";
  size_t line_number = 0;
  for (size_t begin = 0; begin < metrics_text.size(); ++line_number) {
    size_t end = metrics_text.find('\n', begin);
    if (end == std::string_view::npos) end = metrics_text.size();
    const std::string_view line = metrics_text.substr(begin, end - begin);
    begin = end + 1;
    double value = 0;
    const bool known =
        line.rfind(bucket, 0) == 0 || line.rfind(sum, 0) == 0 || line.rfind(count, 0) == 0;
    if (!known) continue;
    if (!ParseNumber(LastField(line), &value)) {
      return Status::Corruption("/metrics line " + std::to_string(line_number + 1) +
                                ": bad value in \"" + std::string(line) + "\"");
    }
    if (line.rfind(sum, 0) == 0) histogram.sum = value;
    if (line.rfind(count, 0) == 0) histogram.count = value;
    if (line.rfind(bucket, 0) != 0) continue;
    const size_t le = line.find("le=\"");
    const size_t close = le == std::string_view::npos ? le : line.find('"', le + 4);
    double bound = 0;
    if (close == std::string_view::npos ||
        !ParseNumber(line.substr(le + 4, close - le - 4), &bound)) {
      return Status::Corruption("/metrics line " + std::to_string(line_number + 1) +
                                ": bucket without a le label: \"" + std::string(line) + "\"");
    }
    histogram.buckets.emplace_back(bound, value);
  }
  if (histogram.buckets.empty()) return Status::NotFound("/metrics has no histogram " + name);
  std::sort(histogram.buckets.begin(), histogram.buckets.end());
  return histogram;
}

double HistogramQuantile(const Histogram& histogram, double q) {
  if (histogram.buckets.empty() || histogram.buckets.back().second <= 0) return 0;
  const double rank = q * histogram.buckets.back().second;
  double lower_bound = 0, lower_count = 0;
  for (const auto& [bound, cumulative] : histogram.buckets) {
    if (cumulative >= rank) {
      if (std::isinf(bound)) return lower_bound;
      const double in_bucket = cumulative - lower_count;
      if (in_bucket <= 0) return bound;
      return lower_bound + (bound - lower_bound) * (rank - lower_count) / in_bucket;
    }
    lower_bound = bound;
    lower_count = cumulative;
  }
  return lower_bound;
}

}  // namespace silt::bench
