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
// A pair of the line gets no term when its value is one that tokens stand for (kv_term.h: ASCII,
// at least four digits) and it appears verbatim in the line between non-token bytes; pairs with
// an empty value or an empty normalized name get none either. Metadata pairs are not in the
// line, so they always get their term. The same term may be reported more than once.
//
// Buffers are reused: no allocation per term once warm. Not thread-safe; one per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/bloom/function_ref.h"
#include "aggregator/bloom/json_pair_scanner.h"
#include "aggregator/bloom/logfmt_pair_scanner.h"
#include "aggregator/bloom/seen_term_cache.h"

namespace silt::bloom {

// True when the first byte of `line` that is not ' ', '\t', '\r' or '\n' is '{'.
bool LooksLikeJsonObject(std::string_view line);

class TermExtractor {
 public:
  // Receives one term; the view is valid during the call only.
  using TermCallback = FunctionRef<void(std::string_view term)>;

  // Calls `on_term` for every token and key/value term of `line`: ForEachToken(line, on_term),
  // then ForEachLinePairTerm(line, on_term).
  void ForEachLineTerm(std::string_view line, TermCallback on_term);
  // Calls `on_term` for the key/value terms of `line` only (its JSON and logfmt pairs). With
  // `seen` (the cache of one block's terms), a pair whose key is in it is skipped before any
  // work (its terms were reported before), and a pair whose terms are reported is added to it.
  void ForEachLinePairTerm(std::string_view line, TermCallback on_term,
                           SeenTermCache* seen = nullptr);
  // Calls `on_term` for the term(s) of one structured metadata pair (none for an empty value);
  // `seen` as for ForEachLinePairTerm.
  void ForEachPairTerm(std::string_view name, std::string_view value, TermCallback on_term,
                       SeenTermCache* seen = nullptr);

 private:
  // Emits the terms of a pair whose name is already normalized. `line` is the line the pair
  // comes from (empty for metadata), to tell a value that appears in it verbatim.
  void EmitPair(std::string_view line, std::string_view normalized_name, std::string_view value,
                TermCallback on_term, SeenTermCache* seen);
  // Fills digit_words_ and high_words_ for `line`.
  void ClassifyLine(std::string_view line);
  // What EmitPair needs to know of `value`: ASCII or not, its digit count (only exact up to
  // kMinDigitsForTokenValue when the value lies in the line), and whether it lies in `line`
  // (whose classes ClassifyLine computed) between non-token bytes.
  void ClassifyValue(std::string_view line, std::string_view value, bool* ascii, int* digits,
                     bool* bounded) const;
  // Reports the term `normalized_name=value`.
  void EmitTerm(std::string_view normalized_name, std::string_view value, TermCallback on_term);

  JsonPairScanner json_;
  LogfmtPairScanner logfmt_;
  std::string normalized_name_;
  std::string term_;  // a buffer, not a string: its size is its capacity
  std::string cleaned_;
  // Of the line being scanned, 64 bytes per word: bit i set when byte i is an ASCII digit
  // (digit_words_) or >= 0x80 (high_words_). Values in the line are classified from these.
  std::vector<uint64_t> digit_words_;
  std::vector<uint64_t> high_words_;
};

}  // namespace silt::bloom
