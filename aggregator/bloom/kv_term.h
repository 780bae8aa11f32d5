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
//
// Values that tokens stand for: a value that is ASCII and holds at least kMinDigitsForTokenValue
// digits (times, ids, sizes, durations: nearly unique per line) gets no term when it appears
// verbatim in its line with a non-token byte (or the line's edge) on each side, because then
// every token of the value is a token of the line and is in the filter anyway. Such terms would
// otherwise double a JSON or logfmt block's filter. A query for such a value checks the term and,
// failing that, the value's tokens (bloom_query.h).
// Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace silt::bloom {

inline constexpr int kMinDigitsForTokenValue = 4;

// Appends the bytes of `name` that are in [A-Za-z0-9] to `out`.
void AppendNormalizedName(std::string_view name, std::string* out);

// The normalized form of `name`: `name` itself when it is all [A-Za-z0-9] (the common case, no
// copy), else the normalized bytes written to `*scratch`. The result is valid while both are.
std::string_view NormalizedName(std::string_view name, std::string* scratch);

// Replaces `*out` with the term for (`name`, `value`). Returns false, leaving `*out` empty, when
// the pair gets no term: the normalized name is empty or the value is empty (a filter for an
// empty value also matches lines without the label, so it can never skip a block).
bool MakeKeyValueTerm(std::string_view name, std::string_view value, std::string* out);

// True when `value` is ASCII with at least kMinDigitsForTokenValue digits: the values whose term
// the writer leaves out when they appear verbatim between non-token bytes.
inline bool TokensMayStandForValue(std::string_view value) {
  unsigned high = 0;
  int digits = 0;
  for (char c : value) {
    high |= static_cast<unsigned char>(c);
    digits += static_cast<unsigned char>(c - '0') < 10;
  }
  return high < 0x80 && digits >= kMinDigitsForTokenValue;
}

}  // namespace silt::bloom
