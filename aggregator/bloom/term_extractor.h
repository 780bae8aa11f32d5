// TermExtractor: every bloom term of a log entry, as the chunk writer adds them to a block's
// filter:
//  - the tokens of the line (tokenizer.h);
//  - for a line whose first byte that is not a JSON space is '{', the pairs `| json` would
//    extract (json_pair_scanner.h), as `name=value` terms (kv_term.h);
//  - for a line containing '=', the pairs `| logfmt` would extract (logfmt_pair_scanner.h). A
//    line without '=' yields no logfmt pair with a value, so this check is exact, not a guess;
//    JSON lines are scanned as logfmt too, since a query may apply `| logfmt` to any line;
//  - for each structured metadata pair, its `name=value` term (label filters see metadata too);
//  - for a pair whose value holds invalid UTF-8 or U+FFFD, also the term of the value without
//    them (newer Loki releases strip those bytes from extracted values).
// The same term may be reported more than once; the bloom does not mind.
//
// Buffers are reused: no allocation per term once warm. Not thread-safe; one per thread.
#pragma once

#include <string>
#include <string_view>

#include "aggregator/bloom/function_ref.h"
#include "aggregator/bloom/json_pair_scanner.h"
#include "aggregator/bloom/logfmt_pair_scanner.h"

namespace silt::bloom {

// True when the first byte of `line` that is not ' ', '\t', '\r' or '\n' is '{'.
bool LooksLikeJsonObject(std::string_view line);

class TermExtractor {
 public:
  // Receives one term; the view is valid during the call only.
  using TermCallback = FunctionRef<void(std::string_view term)>;

  // Calls `on_term` for every token and key/value term of `line`.
  void ForEachLineTerm(std::string_view line, TermCallback on_term);
  // Calls `on_term` for the term(s) of one structured metadata pair (none for an empty value).
  void ForEachPairTerm(std::string_view name, std::string_view value, TermCallback on_term);

 private:
  // Emits the terms of a pair whose name is already normalized and not empty.
  void EmitPair(std::string_view normalized_name, std::string_view value, TermCallback on_term);

  JsonPairScanner json_;
  LogfmtPairScanner logfmt_;
  std::string normalized_name_;
  std::string term_;
  std::string cleaned_;
};

}  // namespace silt::bloom
