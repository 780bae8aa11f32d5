#include "tests/bench/loggen/flag_values.h"

#include <string>

#include "shared/time/timestamp.h"

namespace silt::loggen {
namespace {

Status BadRate(std::string_view text) {
  return Status::InvalidArgument("--rate \"" + std::string(text) +
                                 "\" is not a rate: use entries per second like 5000 or "
                                 "5000/s, or per minute or hour like 300/m, 10/h");
}

}  // namespace

Result<double> ParseRate(std::string_view text) {
  double per = 1;
  const size_t slash = text.find('/');
  std::string_view number = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view unit = text.substr(slash + 1);
    if (unit == "s") {
      per = 1;
    } else if (unit == "m") {
      per = 60;
    } else if (unit == "h") {
      per = 3600;
    } else {
      return BadRate(text);
    }
  }
  // digits [ '.' digits ], at least one digit; parsed by hand so no locale applies.
  double value = 0;
  double scale = 0;  // 0 before the point, then 0.1, 0.01, ...
  int digits = 0;
  for (char c : number) {
    if (c == '.' && scale == 0) {
      scale = 0.1;
    } else if (c >= '0' && c <= '9') {
      if (scale == 0) {
        value = value * 10 + (c - '0');
      } else {
        value += (c - '0') * scale;
        scale /= 10;
      }
      ++digits;
    } else {
      return BadRate(text);
    }
  }
  if (digits == 0 || digits > 15) return BadRate(text);
  return value / per;
}

Result<int64_t> ParseStartTime(std::string_view text, int64_t now_ns) {
  if (text == "now") return now_ns;
  Result<int64_t> parsed = time::ParseLokiTime(text);
  if (!parsed.ok()) {
    return Status::InvalidArgument("--start \"" + std::string(text) +
                                   "\" is not a time: use now, RFC 3339 like "
                                   "2024-01-01T00:00:00Z, or Unix seconds");
  }
  return parsed;
}

}  // namespace silt::loggen
