// Decoding of quoted strings as Loki's parsers see them: the body of a JSON string (`| json`)
// or of a quoted logfmt value (`| logfmt`, whose unquoting is JSON's plus `\'`), and the removal
// of invalid UTF-8 that Loki applies to extracted values. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace silt::bloom {

// Appends the decoded form of `body` (the bytes between the quotes, escapes still in) to `out`.
// Escapes: \" \\ \/ \' \b \f \n \r \t and \uXXXX (a surrogate pair becomes one code point, a lone
// surrogate U+FFFD, as Go decodes it). Other bytes are copied as they are. Returns false, with
// `out` holding a partial result, when an escape is malformed or `body` ends inside one.
bool AppendUnescaped(std::string_view body, std::string* out);

// Appends `bytes` without the bytes that are not part of a valid UTF-8 sequence and without
// U+FFFD, which is how newer Loki releases clean extracted label values. Returns true when
// something was left out (the result differs from `bytes`).
bool AppendWithoutInvalidUtf8(std::string_view bytes, std::string* out);

}  // namespace silt::bloom
