// Decoding of quoted strings as Loki's parsers see them: the body of a JSON string (`| json`)
// or of a quoted logfmt value (`| logfmt`, whose unquoting is JSON's plus `\'`), and the removal
// of invalid UTF-8 that Loki applies to extracted values. Stateless; thread-safe.
#pragma once

#include <bit>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace silt::bloom {

// The first '"' or '\\' in [p, end), or `end`: where a quoted string's body stops or has an
// escape. Compares 16 bytes at a time with SSE2 where available; never reads outside the range.
inline const char* FindQuoteOrBackslash(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  for (; end - p >= 16; p += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto hits = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash))));
    if (hits != 0) return p + std::countr_zero(hits);
  }
#endif
  while (p < end && *p != '"' && *p != '\\') ++p;
  return p;
}

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
