// Parsers for silt-loggen's flag values that shared/ does not already parse: rates ("5000",
// "5000/s", "300/m", "10/h") and start times ("now", RFC 3339, Unix seconds or nanoseconds).
// Sizes use silt::units::ParseByteSize and durations silt::time::ParseDuration. Stateless.
#pragma once

#include <cstdint>
#include <string_view>

#include "shared/status/result.h"

namespace silt::loggen {

// Parses "<number>[/s|/m|/h]" (number: digits with an optional fraction) into entries per
// second. "0" means unpaced. Returns InvalidArgument quoting `text` otherwise.
Result<double> ParseRate(std::string_view text);

// Parses a start time: "now" (returns `now_ns`), or anything silt::time::ParseLokiTime takes
// (RFC 3339 such as "2024-01-01T00:00:00Z", Unix seconds "1704067200", Unix nanoseconds).
// Returns InvalidArgument quoting `text` otherwise.
Result<int64_t> ParseStartTime(std::string_view text, int64_t now_ns);

}  // namespace silt::loggen
