// Exact decimal arithmetic for the parsers of human-written numbers ("1.5h", "1.5GiB",
// "1700000000.25"): a non-negative decimal written as digit strings is multiplied by an integer
// without floating point, so every input has exactly one result on every platform.
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace silt::units {

// The longest prefix of a text of the form `[0-9]*` optionally followed by `.` and `[0-9]*`.
// The views point into the scanned text.
struct DecimalToken {
  std::string_view integer;   // digits before the point (may be empty: ".5")
  std::string_view fraction;  // digits after the point (may be empty: "5.")
  bool has_point = false;
  size_t length = 0;  // bytes consumed, including the point

  // True when at least one digit was seen ("." alone is not a number).
  bool has_digits() const { return !integer.empty() || !fraction.empty(); }
};

// Scans a decimal at the start of `text`. Never fails: a text that does not start with a digit or
// a point gives an empty token (length 0).
DecimalToken ScanDecimal(std::string_view text);

enum class Rounding {
  kTruncate,  // drop the part below one unit of the result
  kHalfUp,    // round to nearest; exactly one half goes up
};

// Returns `integer.fraction` * `multiplier` as an integer rounded per `rounding`, or nullopt when
// the result would exceed `max`. Exact for any number of digits. Preconditions: both strings hold
// only '0'..'9' (either may be empty) and `multiplier` > 0.
std::optional<uint64_t> ScaleDecimal(std::string_view integer, std::string_view fraction,
                                     uint64_t multiplier, Rounding rounding, uint64_t max);

// Returns `text` in double quotes for an error message: `"` and `\` are escaped; control bytes,
// DEL and bytes that are not valid UTF-8 are written as \xNN (valid UTF-8 stays readable); a text
// past 120 bytes is cut with "..." so one bad input cannot flood a log line.
std::string QuoteForError(std::string_view text);

}  // namespace silt::units
