// JSON string literals for arbitrary bytes: log lines, paths and labels as the agent's jsonl sink,
// `silt-aggregator dump` and the Loki JSON responses write them.
// Log lines are bytes, not text: they may hold NUL, control characters and invalid UTF-8. The
// output is always valid JSON and valid UTF-8:
//   "  \  -> \" \\         \n \r \t \b \f -> themselves     other bytes below 0x20 -> \u00XX
//   valid UTF-8 (multi-byte sequences, 0x7F) -> unchanged, except U+2028 and U+2029, written as
//   \u2028 and \u2029 (as Go's encoding/json does, so the output is also safe JavaScript)
//   each byte that does not start a valid UTF-8 sequence -> \ufffd (U+FFFD REPLACEMENT CHARACTER)
// The replacement is lossy by design: it is what Go's encoding/json, and so Loki, Promtail and
// Grafana, do with such bytes, one replacement per invalid byte.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace silt::json {

// Appends `bytes` as a quoted JSON string to *out.
void AppendJsonString(std::string_view bytes, std::string* out);

}  // namespace silt::json
