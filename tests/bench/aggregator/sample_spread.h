// Spread: the median, min and max of a benchmark's repeated measurements, and the text forms the
// bench programs print (BENCH.md: report the median and the min-max of at least 5 runs).
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace silt::bench {

struct Spread {
  double median = 0;
  double min = 0;
  double max = 0;
};

// Precondition: `values` is not empty. The median of an even count is the mean of the middle two.
Spread SpreadOf(std::vector<double> values);

// "median [min-max]", each number printed with the printf `format` for one double ("%.2f").
std::string FormatSpread(const Spread& spread, const char* format);

// `n` with thousands separators: 1234567 -> "1,234,567".
std::string Grouped(uint64_t n);

}  // namespace silt::bench
