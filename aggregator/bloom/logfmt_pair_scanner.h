// LogfmtPairScanner: extracts the (name, value) pairs that LogQL's `| logfmt` turns into labels,
// for bloom terms. It follows the grammar of the go-logfmt decoder Loki uses: bytes <= ' '
// separate pairs; a key runs up to '=' or a space; a value is either bare (up to a space) or a
// double-quoted string with JSON-style escapes. Loki's default (non-strict) mode skips a
// malformed pair up to the next space and goes on; so does this scanner, which makes its pairs a
// superset of what `| logfmt --strict` extracts too. Keys without '=' and empty values give
// nothing (they can only become empty labels). Names are normalized (kv_term.h); values are
// unquoted. An unterminated quoted value ends the scan. A value without escapes is passed as a
// view into the line (the term extractor relies on that to tell verbatim values).
//
// Buffers are reused between lines: no allocation per pair once warm. Not thread-safe; one
// scanner per thread.
#pragma once

#include <string>
#include <string_view>

#include "aggregator/bloom/function_ref.h"

namespace silt::bloom {

class LogfmtPairScanner {
 public:
  // Receives a normalized name and a value; both views are valid during the call only. A value
  // that needed no unescaping points into the scanned line.
  using PairCallback = FunctionRef<void(std::string_view name, std::string_view value)>;

  // Calls `on_pair` for each key=value pair of `line`, left to right. Returns true when the line
  // had no syntax error.
  bool Scan(std::string_view line, PairCallback on_pair);

 private:
  std::string name_;
  std::string value_;
};

}  // namespace silt::bloom
