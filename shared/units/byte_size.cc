#include "shared/units/byte_size.h"

#include <array>
#include <limits>
#include <optional>

#include "shared/units/decimal.h"

namespace silt::units {
namespace {

constexpr std::string_view kExpected =
    "expected a size like 512, 512B, 64MiB or 1.5GB (units B, KB..EB = powers of 1000, "
    "KiB..EiB = powers of 1024, case-insensitive)";

Status Invalid(std::string_view text, std::string_view problem) {
  std::string message = "invalid byte size " + QuoteForError(text) + ": ";
  message.append(problem);
  message += "; ";
  message.append(kExpected);
  return Status::InvalidArgument(std::move(message));
}

char ToLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The multiplier for a unit name, or nullopt for an unknown one.
std::optional<uint64_t> UnitMultiplier(std::string_view unit) {
  std::string lower;
  for (char c : unit) lower += ToLower(c);
  if (lower.empty() || lower == "b") return 1;
  static constexpr std::string_view kPrefixes = "kmgtpe";
  size_t index = kPrefixes.find(lower[0]);
  if (index == std::string_view::npos) return std::nullopt;
  std::string_view rest = std::string_view(lower).substr(1);
  uint64_t decimal = 1;
  for (size_t i = 0; i <= index; ++i) decimal *= 1000;
  uint64_t binary = uint64_t{1} << (10 * (index + 1));
  if (rest.empty() || rest == "b") return decimal;
  if (rest == "i" || rest == "ib") return binary;
  return std::nullopt;
}

}  // namespace

Result<int64_t> ParseByteSize(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty value");
  if (text[0] == '-') return Invalid(text, "negative sizes are not allowed");
  DecimalToken number = ScanDecimal(text);
  if (!number.has_digits()) return Invalid(text, "missing number at column 1");
  std::string_view unit = text.substr(number.length);
  if (!unit.empty() && unit[0] == ' ') {
    unit.remove_prefix(1);
    if (unit.empty()) return Invalid(text, "trailing space without a unit");
  }
  if (!unit.empty() && unit[0] == ' ') return Invalid(text, "more than one space before the unit");
  std::optional<uint64_t> multiplier = UnitMultiplier(unit);
  if (!multiplier) {
    return Invalid(text, "unknown unit " + QuoteForError(unit) + " at column " +
                             std::to_string(text.size() - unit.size() + 1));
  }
  std::optional<uint64_t> bytes =
      ScaleDecimal(number.integer, number.fraction, *multiplier, Rounding::kHalfUp,
                   static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
  if (!bytes) return Invalid(text, "too large: the maximum is 9223372036854775807 bytes (~8EiB)");
  return static_cast<int64_t>(*bytes);
}

std::string FormatByteSize(int64_t bytes) {
  static constexpr std::array<std::string_view, 7> kUnits = {"B",   "KiB", "MiB", "GiB",
                                                             "TiB", "PiB", "EiB"};
  // Work on the magnitude as unsigned so INT64_MIN has one.
  uint64_t magnitude = bytes < 0 ? 0 - static_cast<uint64_t>(bytes) : static_cast<uint64_t>(bytes);
  size_t unit = 0;
  while (magnitude != 0 && unit + 1 < kUnits.size() && magnitude % 1024 == 0) {
    magnitude /= 1024;
    ++unit;
  }
  std::string out = bytes < 0 ? "-" : "";
  out += std::to_string(magnitude);
  out.append(kUnits[unit]);
  return out;
}

}  // namespace silt::units
