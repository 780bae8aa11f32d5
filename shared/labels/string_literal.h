// String literals for label names, values and regexes: the canonical quoting Silt writes (stable
// forever: stream fingerprints hash it) and the Go string literal syntax it reads (what LogQL
// selectors and the Loki API use).
//
// Writing escapes exactly three bytes: backslash as \\, double quote as \", newline as \n; every
// other byte, including other control characters and invalid UTF-8, is written as is. This is
// the Prometheus text exposition format's escaping. Go's strconv.Quote (Prometheus'
// labels.String) was not chosen because its output depends on Unicode printability tables that
// change between Unicode versions, and the canonical form must never change.
//
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::labels {

// Appends `bytes` in double quotes with the canonical escaping described above.
void AppendQuoted(std::string_view bytes, std::string* out);
// Returns `bytes` in double quotes with the canonical escaping.
std::string Quote(std::string_view bytes);

// Appends a label name: bare when it matches [a-zA-Z_][a-zA-Z0-9_]*, otherwise quoted (as
// Prometheus 3 does), so that any name, even one validation would reject, prints unambiguously.
void AppendLabelName(std::string_view name, std::string* out);

// Reads one Go string literal starting at text[*pos]: either "..." with the escapes \a \b \f \n
// \r \t \v \\ \" \xHH \OOO (octal, at most \377) \uHHHH \UHHHHHHHH (Unicode scalar values), or a
// raw `...` string (no escapes; carriage returns are dropped, as Go does). Raw bytes, including
// invalid UTF-8, are kept, except that a "..." literal may not contain a raw newline.
// On success returns the decoded bytes and sets *pos just past the closing quote. On failure
// returns InvalidArgument "column <N>: <what is wrong>", N being the 1-based byte column in
// `text` of the problem; *pos is then unspecified.
Result<std::string> ReadStringLiteral(std::string_view text, size_t* pos);

// Decodes `literal`, which must be exactly one Go string literal (nothing before or after).
// Errors as for ReadStringLiteral.
Result<std::string> Unquote(std::string_view literal);

}  // namespace silt::labels
