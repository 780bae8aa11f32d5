#include "tests/bench/aggregator/sample_spread.h"

#include <algorithm>
#include <cassert>
#include <cstdio>

namespace silt::bench {
namespace {

std::string Printed(const char* format, double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), format, value);
  return buffer;
}

}  // namespace

Spread SpreadOf(std::vector<double> values) {
  assert(!values.empty());
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  const double median = n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  return {median, values.front(), values.back()};
}

std::string FormatSpread(const Spread& spread, const char* format) {
  return Printed(format, spread.median) + " [" + Printed(format, spread.min) + "-" +
         Printed(format, spread.max) + "]";
}

std::string Grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace silt::bench
