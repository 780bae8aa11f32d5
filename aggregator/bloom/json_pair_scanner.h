// JsonPairScanner: extracts the (name, value) pairs that LogQL's `| json` turns into labels, for
// bloom terms. A small hand-written scanner rather than simdjson: it must keep going past the
// pairs it has seen when a line is broken further on (Loki keeps the labels it extracted before a
// parse error), it needs no padding or copies, and a full DOM would cost more than the tokenizer.
//
// What it yields, as Loki's JSON parser does: the members of the top-level object (leading
// spaces allowed); nested objects are flattened, their names joined; strings are unescaped,
// numbers and true/false are given as written; null and arrays (with everything in them) give
// nothing. Names are normalized (kv_term.h), so "pod": {"uuid": ...} yields name "poduuid".
// It is lenient where Loki's parser is: a bare word value (even not a valid number) is yielded
// as written; duplicate names are all yielded. It stops at the first syntax error, having
// yielded every pair before it. A member whose name or string value has a malformed escape gives
// no pair (Loki gives an empty value) and scanning goes on.
//
// Nesting depth is unbounded (a heap stack, no recursion). Buffers are reused between lines: no
// allocation per pair once warm. Not thread-safe; one scanner per thread.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/bloom/function_ref.h"

namespace silt::bloom {

class JsonPairScanner {
 public:
  // Receives a normalized flattened name and a value; both views are valid during the call only.
  // A value that needed no unescaping (any number or word, most strings) points into the line.
  using PairCallback = FunctionRef<void(std::string_view name, std::string_view value)>;

  // Calls `on_pair` for each pair of the JSON object `line` starts with (after spaces). Returns
  // true when the object was well formed up to its closing brace (bytes after it are ignored),
  // false when the line is not an object or a syntax error stopped the scan.
  bool Scan(std::string_view line, PairCallback on_pair);

 private:
  struct Cursor;
  // Handles the value of member `key` (decoded; `key_ok` false when its escapes were malformed)
  // at the cursor. Returns false on a syntax error.
  bool ScanValue(Cursor* cursor, std::string_view key, bool key_ok, PairCallback on_pair);
  void Emit(std::string_view key, std::string_view value, PairCallback on_pair);

  std::string prefix_;  // normalized names of the enclosing objects, concatenated
  std::vector<size_t> prefix_lengths_;
  std::string name_;  // the current member's name when it had escapes
  std::string full_name_;
  std::string value_;  // the current string value when it had escapes
};

}  // namespace silt::bloom
