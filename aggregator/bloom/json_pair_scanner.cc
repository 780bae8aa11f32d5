#include "aggregator/bloom/json_pair_scanner.h"

#include <array>

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {
namespace {

// The bytes that end a bare value: ',', '}', ']' and JSON spaces.
constexpr std::array<bool, 256> MakeWordEndTable() {
  std::array<bool, 256> table{};
  for (char c : {',', '}', ']', ' ', '\t', '\n', '\r'}) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kWordEnd = MakeWordEndTable();

}  // namespace

struct JsonPairScanner::Cursor {
  const char* p;
  const char* end;

  bool AtEnd() const { return p >= end; }
  void SkipSpace() {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  }
  bool Peek(char c) const { return p < end && *p == c; }

  // At an opening quote: sets `body` to the bytes up to the closing quote and moves past it.
  // Returns false when the string is not terminated.
  bool ReadString(std::string_view* body, bool* has_escape) {
    const char* start = ++p;
    *has_escape = false;
    for (;;) {
      p = FindQuoteOrBackslash(p, end);
      if (p >= end) return false;
      if (*p == '"') {
        *body = std::string_view(start, static_cast<size_t>(p - start));
        ++p;
        return true;
      }
      *has_escape = true;  // at a backslash: skip it and the byte it escapes
      if (end - p < 2) return false;
      p += 2;
    }
  }

  // At '[' or '{': moves past the matching bracket, skipping strings. False when unterminated.
  bool SkipComposite() {
    size_t depth = 0;
    while (p < end) {
      char c = *p;
      if (c == '"') {
        std::string_view ignored;
        bool has_escape;
        if (!ReadString(&ignored, &has_escape)) return false;
        continue;
      }
      ++p;
      if (c == '[' || c == '{') {
        ++depth;
      } else if ((c == ']' || c == '}') && --depth == 0) {
        return true;
      }
    }
    return false;
  }

  // A bare value (number, true, false, null, or anything else up to a delimiter).
  std::string_view ReadWord() {
    const char* start = p;
    while (p < end && !kWordEnd[static_cast<unsigned char>(*p)]) ++p;
    return std::string_view(start, static_cast<size_t>(p - start));
  }
};

namespace {

// The decoded form of a string body: `body` itself without escapes, else decoded into `scratch`.
// Returns false when an escape is malformed.
bool Decode(std::string_view body, bool has_escape, std::string* scratch, std::string_view* out) {
  if (!has_escape) {
    *out = body;
    return true;
  }
  scratch->clear();
  if (!AppendUnescaped(body, scratch)) return false;
  *out = *scratch;
  return true;
}

}  // namespace

void JsonPairScanner::Emit(std::string_view key, std::string_view value, PairCallback on_pair) {
  if (prefix_.empty()) {
    on_pair(NormalizedName(key, &full_name_), value);
    return;
  }
  full_name_.assign(prefix_);
  AppendNormalizedName(key, &full_name_);
  on_pair(full_name_, value);
}

bool JsonPairScanner::ScanValue(Cursor* cursor, std::string_view key, bool key_ok,
                                PairCallback on_pair) {
  if (cursor->AtEnd()) return false;
  char c = *cursor->p;
  if (c == '"') {
    std::string_view body;
    bool has_escape;
    if (!cursor->ReadString(&body, &has_escape)) return false;
    std::string_view value;
    if (key_ok && Decode(body, has_escape, &value_, &value)) Emit(key, value, on_pair);
    return true;
  }
  if (c == '[') return cursor->SkipComposite();
  std::string_view word = cursor->ReadWord();
  if (word.empty()) return false;
  if (key_ok && word != "null") Emit(key, word, on_pair);
  return true;
}

bool JsonPairScanner::Scan(std::string_view line, PairCallback on_pair) {
  Cursor cursor{line.data(), line.data() + line.size()};
  prefix_.clear();
  prefix_lengths_.clear();
  cursor.SkipSpace();
  if (!cursor.Peek('{')) return false;
  ++cursor.p;
  for (;;) {
    cursor.SkipSpace();
    if (cursor.Peek('}')) {
      ++cursor.p;
      if (prefix_lengths_.empty()) return true;
      prefix_.resize(prefix_lengths_.back());
      prefix_lengths_.pop_back();
    } else {
      std::string_view body;
      bool has_escape;
      if (!cursor.Peek('"') || !cursor.ReadString(&body, &has_escape)) return false;
      std::string_view key;
      bool key_ok = Decode(body, has_escape, &name_, &key);
      cursor.SkipSpace();
      if (!cursor.Peek(':')) return false;
      ++cursor.p;
      cursor.SkipSpace();
      if (cursor.Peek('{')) {
        ++cursor.p;
        prefix_lengths_.push_back(prefix_.size());
        // The members of an object whose name has a bad escape are still yielded, under the
        // enclosing prefix: more terms than Loki extracts, which is always safe.
        if (key_ok) AppendNormalizedName(key, &prefix_);
        continue;
      }
      if (!ScanValue(&cursor, key, key_ok, on_pair)) return false;
    }
    cursor.SkipSpace();
    if (cursor.Peek(',')) {
      ++cursor.p;
    } else if (!cursor.Peek('}')) {
      return false;
    }
  }
}

}  // namespace silt::bloom
