#include "aggregator/bloom/logfmt_pair_scanner.h"

#include <cstddef>

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {
namespace {

bool IsSpace(char c) { return static_cast<unsigned char>(c) <= ' '; }

// Moves `pos` to the next byte <= ' ' (or the end): how a malformed pair is skipped.
size_t SkipToSpace(std::string_view line, size_t pos) {
  while (pos < line.size() && !IsSpace(line[pos])) ++pos;
  return pos;
}

enum class ValueRead { kOk, kEmpty, kMalformed, kUnterminated };

// With line[*pos] the opening quote: unquotes the value into `value` and moves *pos past the
// closing quote.
ValueRead ReadQuotedValue(std::string_view line, size_t* pos, std::string* value) {
  bool has_escape = false;
  size_t close = *pos + 1;
  while (close < line.size() && line[close] != '"') {
    if (line[close] == '\\') {
      has_escape = true;
      ++close;
    }
    ++close;
  }
  if (close >= line.size()) return ValueRead::kUnterminated;
  std::string_view body = line.substr(*pos + 1, close - *pos - 1);
  *pos = close + 1;
  value->clear();
  if (!has_escape) {
    value->assign(body);
  } else if (!AppendUnescaped(body, value)) {
    return ValueRead::kMalformed;
  }
  return value->empty() ? ValueRead::kEmpty : ValueRead::kOk;
}

// With *pos just past the '=': reads a bare or quoted value and moves *pos past it.
ValueRead ReadValue(std::string_view line, size_t* pos, std::string* value) {
  if (*pos >= line.size() || IsSpace(line[*pos])) return ValueRead::kEmpty;
  if (line[*pos] == '"') return ReadQuotedValue(line, pos, value);
  size_t start = *pos;
  while (*pos < line.size() && !IsSpace(line[*pos]) && line[*pos] != '=' && line[*pos] != '"') {
    ++*pos;
  }
  if (*pos < line.size() && !IsSpace(line[*pos])) {  // '=' or '"' inside a bare value
    *pos = SkipToSpace(line, *pos);
    return ValueRead::kMalformed;
  }
  value->assign(line.substr(start, *pos - start));
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
    while (pos < line.size() && line[pos] != '=' && line[pos] != '"' && !IsSpace(line[pos])) {
      ++pos;
    }
    if (pos >= line.size() || IsSpace(line[pos])) continue;  // a key without a value
    if (line[pos] == '"' || pos == key_start) {              // a quote in a key, or no key
      ok = false;
      pos = SkipToSpace(line, pos);
      continue;
    }
    std::string_view key = line.substr(key_start, pos - key_start);
    ++pos;  // past '='
    switch (ReadValue(line, &pos, &value_)) {
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
    name_.clear();
    AppendNormalizedName(key, &name_);
    if (!name_.empty()) on_pair(name_, value_);
  }
}

}  // namespace silt::bloom
