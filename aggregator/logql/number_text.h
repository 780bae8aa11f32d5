// The text form of LogQL numbers: the shortest decimal that reads back to the same double, in
// plain notation for exponents -4..20 and in Go's %e style otherwise (1e+21, 1.5e-05), as Go's
// fmt %v writes float64 and therefore as Loki prints literals. Stateless; thread-safe.
#pragma once

#include <string>

namespace silt::logql {

// Returns the text of a finite `value` (e.g. 1 -> "1", 0.25 -> "0.25", 1e21 -> "1e+21",
// -3 -> "-3"). Non-finite values give "NaN", "+Inf" or "-Inf" (no LogQL literal has them).
std::string FormatNumber(double value);

}  // namespace silt::logql
