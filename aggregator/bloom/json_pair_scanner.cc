#include "aggregator/bloom/json_pair_scanner.h"

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {

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
    while (p < end) {
      if (*p == '\\') {
        *has_escape = true;
        if (end - p < 2) return false;
        p += 2;
        continue;
      }
      if (*p == '"') {
        *body = std::string_view(start, static_cast<size_t>(p - start));
        ++p;
        return true;
      }
      ++p;
    }
    return false;
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
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' &&
           *p != '\n' && *p != '\r') {
      ++p;
    }
    return std::string_view(start, static_cast<size_t>(p - start));
  }
};

namespace {

// Decodes a string body into `out`; false when an escape is malformed.
bool Decode(std::string_view body, bool has_escape, std::string* out) {
  out->clear();
  if (!has_escape) {
    out->assign(body);
    return true;
  }
  return AppendUnescaped(body, out);
}

}  // namespace

void JsonPairScanner::Emit(std::string_view value, PairCallback on_pair) {
  full_name_.assign(prefix_);
  AppendNormalizedName(name_, &full_name_);
  on_pair(full_name_, value);
}

bool JsonPairScanner::ScanValue(Cursor* cursor, bool name_ok, PairCallback on_pair) {
  if (cursor->AtEnd()) return false;
  char c = *cursor->p;
  if (c == '"') {
    std::string_view body;
    bool has_escape;
    if (!cursor->ReadString(&body, &has_escape)) return false;
    if (name_ok && Decode(body, has_escape, &value_)) Emit(value_, on_pair);
    return true;
  }
  if (c == '[') return cursor->SkipComposite();
  std::string_view word = cursor->ReadWord();
  if (word.empty()) return false;
  if (name_ok && word != "null") Emit(word, on_pair);
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
      bool name_ok = Decode(body, has_escape, &name_);
      cursor.SkipSpace();
      if (!cursor.Peek(':')) return false;
      ++cursor.p;
      cursor.SkipSpace();
      if (cursor.Peek('{')) {
        ++cursor.p;
        prefix_lengths_.push_back(prefix_.size());
        // The members of an object whose name has a bad escape are still yielded, under the
        // enclosing prefix: more terms than Loki extracts, which is always safe.
        if (name_ok) AppendNormalizedName(name_, &prefix_);
        continue;
      }
      if (!ScanValue(&cursor, name_ok, on_pair)) return false;
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
