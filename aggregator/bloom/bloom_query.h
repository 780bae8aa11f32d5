// Which searches a block's bloom filter can answer, and how. A block may be skipped only when
// that is provably correct (DESIGN.md "Blooms"); every function here returns true ("read the
// block") whenever the filter cannot prove the block holds no match.
//
// Line filter `|= "literal"` (case-sensitive substring, before any line_format): a token of the
// literal with a non-token byte right before and right after it, inside the literal, is a
// complete token of every line containing the literal, so it was added to the block's filter. A
// token touching the start or end of the literal may be a fragment of a longer token in the line
// ("rror" of "error"), so it proves nothing: in "rror: disk full" only "disk" is required. A
// literal with no such token (one word, or a piece of one) cannot skip. Negative filters (`!=`,
// `!~`), regexes and case-insensitive matches cannot skip.
//
// Label filter `name="value"` after `| json` or `| logfmt` (no parameters): see kv_term.h and
// term_extractor.h. The block is skipped when the term `name=value` is absent and, for a value
// that tokens may stand for (ASCII, at least four digits), also one of the value's tokens is
// absent (the writer leaves such a term out when the value's tokens are in the line). A planner
// may use it only when: the matcher is string equality (not `=~`, `!=`, not a numeric
// comparison such as `status == 200`); the value is not empty; the pipeline before the filter
// holds only line filters and those parsers; `name` is not one of the stream's labels (Loki then
// renames the extracted one to `name_extracted`) and does not end in `_extracted` or start with
// `__`.
//
// Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/bloom/tokenizer.h"

namespace silt::bloom {

// Calls `on_token(std::string_view)` for each token of `literal` that is bounded on both sides
// inside it (a non-token byte right before and right after it, within the literal).
template <typename F>
void ForEachRequiredToken(std::string_view literal, F&& on_token) {
  ForEachToken(literal, [&](std::string_view token) {
    size_t begin = static_cast<size_t>(token.data() - literal.data());
    size_t end = begin + token.size();
    if (begin > 0 && end < literal.size()) on_token(token);
  });
}

// False only when some required token of `literal` is certainly absent from `filter`, i.e. no
// line summarized by the filter contains `literal`.
bool MayContainLiteral(const BloomFilter& filter, std::string_view literal);

// False only when no entry summarized by `filter` can have extracted label `name` equal to
// `value` (see the conditions above). True for an empty value or a name with no alphanumerics.
bool MayContainKeyValue(const BloomFilter& filter, std::string_view name, std::string_view value);

}  // namespace silt::bloom
