#include "shared/metrics/text_format.h"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

namespace silt::metrics {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Appends "NaN"/"+Inf"/"-Inf" and returns true when `value` is not finite.
bool AppendNonFinite(double value, std::string* out) {
  if (std::isnan(value)) {
    out->append("NaN");
  } else if (std::isinf(value)) {
    out->append(value > 0 ? "+Inf" : "-Inf");
  } else {
    return false;
  }
  return true;
}

template <typename... Format>
void AppendToChars(double value, std::string* out, Format... format) {
  std::array<char, 64> buf;
  std::to_chars_result r = std::to_chars(buf.data(), buf.data() + buf.size(), value, format...);
  out->append(buf.data(), r.ptr);
}

}  // namespace

bool IsValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = IsAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && IsDigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = IsAsciiLetter(c) || c == '_' || (i > 0 && IsDigit(c));
    if (!ok) return false;
  }
  return true;
}

bool IsReservedLabelName(std::string_view name) { return name.starts_with("__"); }

void AppendEscapedHelp(std::string_view help, std::string* out) {
  for (char c : help) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

void AppendEscapedLabelValue(std::string_view value, std::string* out) {
  for (char c : value) {
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == '"') {
      out->append("\\\"");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}

void AppendValue(double value, std::string* out) {
  if (AppendNonFinite(value, out)) return;
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::trunc(value) == value && std::fabs(value) < kExactIntegerLimit) {
    std::array<char, 24> buf;
    std::to_chars_result r =
        std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<int64_t>(value));
    out->append(buf.data(), r.ptr);
    return;
  }
  AppendToChars(value, out);
}

void AppendUint(uint64_t value, std::string* out) {
  std::array<char, 24> buf;
  std::to_chars_result r = std::to_chars(buf.data(), buf.data() + buf.size(), value);
  out->append(buf.data(), r.ptr);
}

void AppendBucketBound(double bound, std::string* out) {
  if (AppendNonFinite(bound, out)) return;
  // Go's 'g' with shortest precision: scientific when the decimal exponent is < -4 or >= 6,
  // otherwise fixed; both with the shortest digits that round-trip. std::to_chars writes the
  // exponent with at least two digits and a sign, as Go does.
  std::string scientific;
  AppendToChars(bound, &scientific, std::chars_format::scientific);
  size_t e = scientific.find('e');
  int exponent = std::atoi(scientific.c_str() + e + 1);
  if (exponent < -4 || exponent >= 6) {
    out->append(scientific);
  } else {
    AppendToChars(bound, out, std::chars_format::fixed);
  }
}

}  // namespace silt::metrics
