// BlockBloomBuilder: the bloom filter of one chunk block, built from the block's entries as they
// are appended. The terms are exactly TermExtractor's; what this class adds is speed, because it
// runs over every byte the aggregator stores. Most terms of a block repeat (typically 85-95% of
// them), so the aim is to spend as little as possible on a repeat:
//  - a token of at most 8 bytes, the common case, is deduplicated by its bytes packed into an
//    integer, in a set of the block's short tokens; only a token new to the block is hashed;
//  - a token of 9-16 bytes or a key/value pair with a short name and value that the block has
//    already added is recognized by its bytes packed into 128 bits (SeenTermCache, exact, small
//    enough for L1), so it is not hashed again;
//  - other longer tokens and key/value terms are hashed and deduplicated by hash (BloomBuilder);
//  - those hashes go to BloomBuilder in a batch per line, which prefetches their slots first.
// The two sets hold disjoint terms (a key/value term contains '=', tokens have no '=' and differ
// in length), so the distinct count is their sum and the filter is sized for it when built. The
// result equals BloomBuilder fed with BloomFilter::HashKey of every TermExtractor term (a unit
// test checks it). Buffers are reused across blocks: no allocation per entry once warm.
// Not thread-safe; one per writer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/bloom/bloom_builder.h"
#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/bloom/seen_term_cache.h"
#include "aggregator/bloom/term_extractor.h"
#include "aggregator/bloom/uint64_set.h"

namespace silt::bloom {

class BlockBloomBuilder {
 public:
  BlockBloomBuilder() = default;

  // Adds the terms of a log line (TermExtractor::ForEachLineTerm).
  void AddLine(std::string_view line);
  // Adds the terms of a structured metadata pair (TermExtractor::ForEachPairTerm).
  void AddPair(std::string_view name, std::string_view value);

  // The number of distinct terms added since the last Clear (up to 64-bit hash collisions).
  size_t distinct_count() const {
    return short_token_hashes_.size() + other_terms_.distinct_count();
  }
  // A filter of every term added since the last Clear, sized for distinct_count() at
  // `false_positive_rate` (in (0, 1)).
  BloomFilter Build(double false_positive_rate) const;
  // Appends what Build(false_positive_rate).AppendTo(out) would, building the filter in one kept
  // for reuse: no allocation per block once warm.
  void AppendFilterTo(double false_positive_rate, std::string* out);
  // Starts the next block; keeps the memory.
  void Clear();

 private:
  // Adds the tokens of `line`; kReserved: short_tokens_ has room for all it could have.
  template <bool kReserved>
  void AddTokens(std::string_view line);
  // Hashes a token that is long or new to short_tokens_ into the right list. Out of line so
  // that the tokenizer's loop, which handles the common repeated short token, stays small.
  [[gnu::noinline]] void AddNewOrLongToken(std::string_view token);
  // Hands pending_ to other_terms_ and empties it.
  void FlushPending();
  // Adds every distinct term's hash to `filter`.
  void FillFilter(BloomFilter* filter) const;

  TermExtractor extractor_;
  Uint64Set short_tokens_;                    // tokens of <= 8 bytes, packed
  std::vector<uint64_t> short_token_hashes_;  // their hashes, one per member
  BloomBuilder other_terms_;
  std::vector<uint64_t> pending_;  // hashes of the current line's other terms
  // Tokens of 9-16 bytes and short key/value pairs already in other_terms_: a repeat skips its
  // hash and set insert (and for a pair, building its term).
  SeenTermCache seen_long_tokens_;
  SeenTermCache seen_pairs_;
  BloomFilter filter_{0};  // AppendFilterTo's, reused
};

}  // namespace silt::bloom
