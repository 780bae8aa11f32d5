#include "shared/time/duration.h"

#include <array>
#include <limits>
#include <optional>

#include "shared/units/decimal.h"

namespace silt::time {
namespace {

using units::QuoteForError;

struct Unit {
  std::string_view name;
  int64_t nanos;
  int rank;  // position in the required descending order
};

// Every accepted spelling; µs and μs share the rank of us.
constexpr std::array<Unit, 11> kUnits = {{
    {"y", kYear, 0},
    {"w", kWeek, 1},
    {"d", kDay, 2},
    {"h", kHour, 3},
    {"m", kMinute, 4},
    {"s", kSecond, 5},
    {"ms", kMillisecond, 6},
    {"us", kMicrosecond, 7},
    {"\u00b5s", kMicrosecond, 7},
    {"\u03bcs", kMicrosecond, 7},
    {"ns", kNanosecond, 8},
}};

constexpr std::string_view kExpected =
    "expected a duration like 30s, 1h30m, 7d or 1.5h: numbers with units y, w, d, h, m, s, ms, "
    "us, ns in that order, or 0";

Status Invalid(std::string_view text, std::string_view problem) {
  std::string message = "invalid duration " + QuoteForError(text) + ": ";
  message.append(problem);
  message += "; ";
  message.append(kExpected);
  return Status::InvalidArgument(std::move(message));
}

std::string Column(std::string_view text, std::string_view rest) {
  return "column " + std::to_string(text.size() - rest.size() + 1);
}

const Unit* FindUnit(std::string_view name) {
  for (const Unit& unit : kUnits) {
    if (unit.name == name) return &unit;
  }
  return nullptr;
}

// The unit text after a number: everything up to the next digit or '.', as in Go.
std::string_view UnitText(std::string_view rest) {
  size_t n = 0;
  while (n < rest.size() && rest[n] != '.' && (rest[n] < '0' || rest[n] > '9')) ++n;
  return rest.substr(0, n);
}

// Sums the components of `body` (no sign) into a magnitude of at most `max`.
Result<uint64_t> ParseComponents(std::string_view text, std::string_view body, uint64_t max) {
  uint64_t total = 0;
  int last_rank = -1;
  std::string_view last_unit;
  std::string_view rest = body;
  while (!rest.empty()) {
    units::DecimalToken number = units::ScanDecimal(rest);
    if (!number.has_digits()) {
      return Invalid(text, "expected a number at " + Column(text, rest) + ", found " +
                               QuoteForError(rest.substr(0, 1)));
    }
    std::string_view after_number = rest.substr(number.length);
    std::string_view unit_text = UnitText(after_number);
    if (unit_text.empty()) {
      return Invalid(text, "missing unit after the number at " + Column(text, rest));
    }
    const Unit* unit = FindUnit(unit_text);
    if (unit == nullptr) {
      return Invalid(text, "unknown unit " + QuoteForError(unit_text) + " at " +
                               Column(text, after_number) + " (units are case-sensitive)");
    }
    if (unit->rank <= last_rank) {
      return Invalid(text, "unit " + QuoteForError(unit_text) + " at " +
                               Column(text, after_number) + " must come before " +
                               QuoteForError(last_unit) + " and appear only once");
    }
    std::optional<uint64_t> value =
        units::ScaleDecimal(number.integer, number.fraction, static_cast<uint64_t>(unit->nanos),
                            units::Rounding::kTruncate, max);
    if (!value || *value > max - total) {
      return Invalid(text, "too large: durations are limited to about 292y (int64 nanoseconds)");
    }
    total += *value;
    last_rank = unit->rank;
    last_unit = unit_text;
    rest = after_number.substr(unit_text.size());
  }
  return total;
}

}  // namespace

Result<int64_t> ParseDuration(std::string_view text) {
  if (text.empty()) return Invalid(text, "empty value");
  std::string_view body = text;
  const bool negative = body[0] == '-';
  if (body[0] == '-' || body[0] == '+') body.remove_prefix(1);
  if (body == "0") return int64_t{0};
  if (body.empty()) return Invalid(text, "missing number after the sign");
  const uint64_t max =
      static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0);
  SILT_ASSIGN_OR_RETURN(uint64_t magnitude, ParseComponents(text, body, max));
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::string FormatDuration(int64_t nanos) {
  if (nanos == 0) return "0s";
  static constexpr std::array<Unit, 9> kCanonical = {{
      kUnits[0],
      kUnits[1],
      kUnits[2],
      kUnits[3],
      kUnits[4],
      kUnits[5],
      kUnits[6],
      kUnits[7],
      kUnits[10],
  }};
  // The magnitude as unsigned, so INT64_MIN has one.
  uint64_t rest = nanos < 0 ? 0 - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  std::string out = nanos < 0 ? "-" : "";
  for (const Unit& unit : kCanonical) {
    const uint64_t size = static_cast<uint64_t>(unit.nanos);
    if (rest >= size) {
      out += std::to_string(rest / size);
      out.append(unit.name);
      rest %= size;
    }
  }
  return out;
}

}  // namespace silt::time
