// The text form of LogQL numbers: the shortest decimal that reads back to the same double, in
// plain notation for exponents -4..20 and in Go's %e style otherwise (1e+21, 1.5e-05). This is
// the canonical text Silt prints for literals in queries; it is not Go's fmt %v, which switches
// to %e from exponent 6 (1e+06) - go_format.cc applies that rule where templates need it. And
// ParseGoFloat, the reading side: Go's strconv.ParseFloat for decimal text. Stateless;
// thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace silt::logql {

// Returns the text of a finite `value` (e.g. 1 -> "1", 0.25 -> "0.25", 1e21 -> "1e+21",
// -3 -> "-3"). Non-finite values give "NaN", "+Inf" or "-Inf" (no LogQL literal has them).
std::string FormatNumber(double value);

// Go's strconv.ParseFloat(text, 64) for decimal text, as Loki reads numbers out of labels and
// unwrapped values: optional sign, digits, fraction, exponent, or inf/infinity/nan in any case.
// nullopt when the text is not a number or is out of range.
std::optional<double> ParseGoFloat(std::string_view text);

}  // namespace silt::logql
