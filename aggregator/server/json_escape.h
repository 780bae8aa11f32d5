// JSON string literals for stored log lines, labels and tenants, as `silt-aggregator dump`
// prints them. Lines are bytes: they may hold NUL, control characters and invalid UTF-8; the
// output is always valid JSON and valid UTF-8, with the rules Loki's (Go's encoding/json) output
// follows:
//   "  \  -> \" \\        \n \r \t -> themselves      other bytes below 0x20 and 0x7F -> \u00XX
//   valid multi-byte UTF-8 -> unchanged, except U+2028 / U+2029 -> \u2028 / \u2029
//   each byte that does not start a valid UTF-8 sequence -> \ufffd (lossy, one per byte)
// The aggregator's own copy: it must not depend on agent/ (agent/sink/json_string.h).
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace silt::server {

// Appends `bytes` as a quoted JSON string to *out.
void AppendJsonString(std::string_view bytes, std::string* out);

}  // namespace silt::server
