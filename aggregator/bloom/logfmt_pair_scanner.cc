#include "aggregator/bloom/logfmt_pair_scanner.h"

#include <array>
#include <bit>
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {
namespace {

bool IsSpace(char c) { return static_cast<unsigned char>(c) <= ' '; }

// The bytes that end a key or a bare value: spaces (<= ' '), '=' and '"'.
constexpr std::array<bool, 256> MakeStopTable() {
  std::array<bool, 256> table{};
  for (int c = 0; c <= ' '; ++c) table[c] = true;
  table['='] = table['"'] = true;
  return table;
}
constexpr std::array<bool, 256> kStop = MakeStopTable();

#if defined(__SSE2__)
// Bit i set when byte i of `v` is a stop byte.
inline unsigned StopMask16(__m128i v) {
  const __m128i space = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(' ')), v);  // v <= ' '
  const __m128i equals = _mm_cmpeq_epi8(v, _mm_set1_epi8('='));
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  return static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(space, _mm_or_si128(equals, quote))));
}
#endif

// Moves `pos` to the next stop byte (or the end). Keys and values are short, so a byte loop
// would mispredict its exit on nearly every call; 16 bytes at a time it rarely loops.
size_t SkipToStop(std::string_view line, size_t pos) {
#if defined(__SSE2__)
  const char* const data = line.data();
  for (; pos + 16 <= line.size(); pos += 16) {
    unsigned hits = StopMask16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos)));
    if (hits != 0) return pos + static_cast<size_t>(std::countr_zero(hits));
  }
  if (pos < line.size() && line.size() >= 16) {  // the last 16 bytes, minus those before pos
    const size_t skip = pos - (line.size() - 16);
    unsigned hits =
        StopMask16(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + line.size() - 16))) >>
        skip;
    return hits != 0 ? pos + static_cast<size_t>(std::countr_zero(hits)) : line.size();
  }
#endif
  while (pos < line.size() && !kStop[static_cast<unsigned char>(line[pos])]) ++pos;
  return pos;
}

// The first '=' or '"' at or after `pos`, or the end of `line`.
size_t FindEqualsOrQuote(std::string_view line, size_t pos) {
#if defined(__SSE2__)
  const char* const data = line.data();
  const __m128i equals = _mm_set1_epi8('=');
  const __m128i quote = _mm_set1_epi8('"');
  for (; pos + 16 <= line.size(); pos += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    const auto hits = static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, equals), _mm_cmpeq_epi8(v, quote))));
    if (hits != 0) return pos + static_cast<size_t>(std::countr_zero(hits));
  }
#endif
  while (pos < line.size() && line[pos] != '=' && line[pos] != '"') ++pos;
  return pos;
}

// Moves `pos` to the next byte <= ' ' (or the end): how a malformed pair is skipped.
size_t SkipToSpace(std::string_view line, size_t pos) {
  while (pos < line.size() && !IsSpace(line[pos])) ++pos;
  return pos;
}

enum class ValueRead { kOk, kEmpty, kMalformed, kUnterminated };

// With line[*pos] the opening quote: sets *value to the unquoted value (a view into `line` when
// it has no escape, else decoded into `scratch`) and moves *pos past the closing quote.
ValueRead ReadQuotedValue(std::string_view line, size_t* pos, std::string* scratch,
                          std::string_view* value) {
  bool has_escape = false;
  const char* const end = line.data() + line.size();
  const char* close = line.data() + *pos + 1;
  for (;;) {
    close = FindQuoteOrBackslash(close, end);
    if (close >= end) return ValueRead::kUnterminated;
    if (*close == '"') break;
    has_escape = true;  // skip the backslash and the byte it escapes
    if (end - close < 2) return ValueRead::kUnterminated;
    close += 2;
  }
  const size_t close_pos = static_cast<size_t>(close - line.data());
  std::string_view body = line.substr(*pos + 1, close_pos - *pos - 1);
  *pos = close_pos + 1;
  if (has_escape) {
    scratch->clear();
    if (!AppendUnescaped(body, scratch)) return ValueRead::kMalformed;
    body = *scratch;
  }
  *value = body;
  return body.empty() ? ValueRead::kEmpty : ValueRead::kOk;
}

// With *pos just past the '=': reads a bare or quoted value into *value and moves *pos past it.
ValueRead ReadValue(std::string_view line, size_t* pos, std::string* scratch,
                    std::string_view* value) {
  if (*pos >= line.size() || IsSpace(line[*pos])) return ValueRead::kEmpty;
  if (line[*pos] == '"') return ReadQuotedValue(line, pos, scratch, value);
  size_t start = *pos;
  *pos = SkipToStop(line, *pos);
  if (*pos < line.size() && !IsSpace(line[*pos])) {  // '=' or '"' inside a bare value
    *pos = SkipToSpace(line, *pos);
    return ValueRead::kMalformed;
  }
  *value = line.substr(start, *pos - start);
  return ValueRead::kOk;
}

}  // namespace

bool LogfmtPairScanner::Scan(std::string_view line, PairCallback on_pair) {
  bool ok = true;
  size_t pos = 0;
  for (;;) {
    while (pos < line.size() && IsSpace(line[pos])) ++pos;
    if (pos >= line.size()) return ok;
    size_t key_start = pos;
    pos = SkipToStop(line, pos);
    if (pos >= line.size()) return ok;  // a key without a value ends the line
    if (IsSpace(line[pos])) {
      // A key without a value, which yields nothing; so are all the words before the next '='
      // or '"' (they hold neither): go straight to the word that holds it, whose key then ends
      // at that byte. Lines with a few pairs among many words (access logs with a query
      // string, messages) skip their words at 16 bytes a step.
      const size_t stop = FindEqualsOrQuote(line, pos);
      if (stop >= line.size()) return ok;
      key_start = stop;
      while (!IsSpace(line[key_start - 1])) --key_start;  // line[pos] is a space
      pos = stop;
    }
    if (line[pos] == '"' || pos == key_start) {  // a quote in a key, or no key
      ok = false;
      pos = SkipToSpace(line, pos);
      continue;
    }
    std::string_view key = line.substr(key_start, pos - key_start);
    ++pos;  // past '='
    std::string_view value;
    switch (ReadValue(line, &pos, &value_, &value)) {
      case ValueRead::kUnterminated:
        return false;
      case ValueRead::kMalformed:
        ok = false;
        continue;
      case ValueRead::kEmpty:
        continue;
      case ValueRead::kOk:
        break;
    }
    std::string_view name = NormalizedName(key, &name_);
    if (!name.empty()) on_pair(name, value);
  }
}

}  // namespace silt::bloom
