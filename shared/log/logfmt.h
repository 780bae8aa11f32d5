// Logfmt encoding of keys and values (`key=value key2="two words"`), the line format of Silt's own
// logs: readable in a terminal and parsed by LogQL's `| logfmt` when Silt's logs are shipped to
// Silt or Loki. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace silt::log {

// True when `value` must be written in double quotes: it is empty, or contains a space, '=', '"',
// a control character (C0, DEL or C1), or bytes that are not valid UTF-8. Other text, including
// '\' and printable non-ASCII UTF-8 ("café"), is written bare.
bool LogfmtNeedsQuotes(std::string_view value);

// Appends `value` to `*out`, bare when possible, otherwise quoted with these escapes:
// \" \\ \n \r \t; other control characters as \u00XX (JSON style, which logfmt decoders such as
// Loki's understand); each byte that is not part of valid UTF-8 as \xNN (lossless; Go's
// strconv.Unquote reads it, JSON-style decoders do not).
void AppendLogfmtValue(std::string* out, std::string_view value);

// Appends `key` to `*out`. Keys are never quoted: every byte that is not printable ASCII, or is
// '=', '"' or a space, becomes '_'; an empty key becomes "_".
void AppendLogfmtKey(std::string* out, std::string_view key);

}  // namespace silt::log
