#include "shared/config/scalar.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <system_error>

namespace silt::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Consumes a run of decimal digits from `text` at `*pos`; returns how many.
size_t SkipDigits(std::string_view text, size_t* pos) {
  size_t start = *pos;
  while (*pos < text.size() && IsDigit(text[*pos])) ++*pos;
  return *pos - start;
}

// True when `text` (without sign) matches (\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?.
bool IsCoreFloat(std::string_view text) {
  size_t pos = 0;
  size_t integer_digits = SkipDigits(text, &pos);
  size_t fraction_digits = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    fraction_digits = SkipDigits(text, &pos);
  }
  if (integer_digits == 0 && fraction_digits == 0) return false;
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    if (SkipDigits(text, &pos) == 0) return false;
  }
  return pos == text.size();
}

}  // namespace

std::optional<bool> ParseBool(std::string_view text) {
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  return std::nullopt;
}

IntegerParse ParseIntegerText(std::string_view text, bool* negative, uint64_t* magnitude) {
  *negative = false;
  int base = 10;
  if (text.starts_with("0x")) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.starts_with("0o")) {
    base = 8;
    text.remove_prefix(2);
  } else if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    *negative = text[0] == '-';
    text.remove_prefix(1);
  }
  // from_chars would accept a leading '-' and skip nothing else; require a digit up front.
  if (text.empty() || text[0] == '-' || text[0] == '+') return IntegerParse::kNotAnInteger;
  std::from_chars_result r =
      std::from_chars(text.data(), text.data() + text.size(), *magnitude, base);
  if (r.ec == std::errc::invalid_argument) return IntegerParse::kNotAnInteger;
  if (r.ptr != text.data() + text.size()) {
    // Trailing garbage wins over overflow: "99999999999999999999x" is not an integer at all.
    return IntegerParse::kNotAnInteger;
  }
  if (r.ec == std::errc::result_out_of_range) return IntegerParse::kOutOfRange;
  return IntegerParse::kOk;
}

std::optional<double> ParseDouble(std::string_view text) {
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (!IsCoreFloat(text)) return std::nullopt;
  double value = 0;
  std::from_chars_result r = std::from_chars(text.data(), text.data() + text.size(), value);
  if (r.ec != std::errc() || r.ptr != text.data() + text.size()) return std::nullopt;
  return negative ? -value : value;
}

}  // namespace silt::config
