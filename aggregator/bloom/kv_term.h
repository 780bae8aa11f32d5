// The bloom term for a label-like pair: `<normalized name>=<value>`. Terms are added for the
// key/value pairs of JSON and logfmt lines and for structured metadata, and looked up for a
// label filter such as `| json | level="error"`.
//
// The name is normalized by dropping every byte outside [A-Za-z0-9]. Loki's parsers turn a JSON
// path or logfmt key into a label name by trimming spaces, joining nested keys with `_`, mapping
// every other character to `_` and putting `_` before a leading digit (details vary between
// releases); each of those steps only adds, removes or rewrites non-alphanumeric characters, so
// the label name and every raw key it can come from normalize to the same string. Unrelated names
// may collide ("a_b" and "ab"), which costs false positives only, never a missed line.
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace silt::bloom {

// Appends the bytes of `name` that are in [A-Za-z0-9] to `out`.
void AppendNormalizedName(std::string_view name, std::string* out);

// Replaces `*out` with the term for (`name`, `value`). Returns false, leaving `*out` empty, when
// the pair gets no term: the normalized name is empty or the value is empty (a filter for an
// empty value also matches lines without the label, so it can never skip a block).
bool MakeKeyValueTerm(std::string_view name, std::string_view value, std::string* out);

}  // namespace silt::bloom
