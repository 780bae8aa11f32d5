#include "aggregator/bloom/block_bloom_builder.h"

#include <bit>
#include <cstring>

#include "aggregator/bloom/tokenizer.h"

#define XXH_INLINE_ALL  // XXH3_64bits inlined here; same function, same values as hash::Xxh3
#include <xxhash.h>

namespace silt::bloom {
namespace {

constexpr size_t kMaxShortToken = 8;
// Lines of up to 8 KiB reserve set room for all the tokens they could have.
constexpr size_t kMaxReservedTokens = 4096;

// The bytes of `token` (1..8 bytes, a view into `line`) as an integer, zero-padded. Tokens hold
// no NUL byte, so distinct tokens give distinct nonzero integers.
inline uint64_t PackShortToken(std::string_view token, std::string_view line) {
  const size_t n = token.size();
  uint64_t word = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // One 8-byte load inside the line, then only the token's bytes kept: from the token's start
    // when 8 bytes follow it, else ending at its end (all but lines under 8 bytes).
    if (line.data() + line.size() - token.data() >= 8) {
      std::memcpy(&word, token.data(), 8);
      return word & (~uint64_t{0} >> (64 - 8 * n));
    }
    if (token.data() + n - line.data() >= 8) {
      std::memcpy(&word, token.data() + n - 8, 8);
      return word >> (64 - 8 * n);
    }
  }
  std::memcpy(&word, token.data(), n);
  return word;
}

inline uint64_t HashTerm(std::string_view term) { return XXH3_64bits(term.data(), term.size()); }

}  // namespace

void BlockBloomBuilder::AddLine(std::string_view line) {
  // A line of n bytes has at most (n + 1) / 2 tokens. With room reserved for that many, the
  // per-token insert needs no growth check; a long line, for which that could reserve far more
  // than it fills, takes the checked insert.
  const size_t max_tokens = (line.size() + 1) / 2;
  if (max_tokens <= kMaxReservedTokens) {
    short_tokens_.Reserve(short_tokens_.size() + max_tokens);
    AddTokens<true>(line);
  } else {
    AddTokens<false>(line);
  }
  extractor_.ForEachLinePairTerm(
      line, [this](std::string_view term) { pending_.push_back(HashTerm(term)); }, &seen_pairs_);
  FlushPending();
}

template <bool kReserved>
void BlockBloomBuilder::AddTokens(std::string_view line) {
  // One fused loop, no per-token buffers: for a repeated short token (most tokens) the whole
  // cost is finding it, packing it and one set probe. (Prefetching a few tokens ahead of the
  // probe was measured slower: the table is mostly in L2, and the bookkeeping costs more than
  // the latency it hides.)
  ForEachToken(line, [this, line](std::string_view token) {
    if (token.size() > kMaxShortToken) {
      AddNewOrLongToken(token);
      return;
    }
    const uint64_t key = PackShortToken(token, line);
    if (kReserved ? short_tokens_.InsertReserved(key) : short_tokens_.Insert(key)) {
      AddNewOrLongToken(token);
    }
  });
}

void BlockBloomBuilder::AddNewOrLongToken(std::string_view token) {
  if (token.size() > kMaxShortToken) {
    // A token of up to 16 bytes seen in this block is in other_terms_ already.
    const std::optional<SeenTermKey> key = LongTokenKey(token);
    if (key) {
      if (seen_long_tokens_.Contains(*key)) return;
      seen_long_tokens_.Insert(*key);
    }
    pending_.push_back(HashTerm(token));
  } else {
    short_token_hashes_.push_back(HashTerm(token));
  }
}

void BlockBloomBuilder::AddPair(std::string_view name, std::string_view value) {
  extractor_.ForEachPairTerm(
      name, value, [this](std::string_view term) { pending_.push_back(HashTerm(term)); },
      &seen_pairs_);
  FlushPending();
}

void BlockBloomBuilder::FlushPending() {
  other_terms_.AddHashes(pending_);
  pending_.clear();
}

void BlockBloomBuilder::FillFilter(BloomFilter* filter) const {
  for (uint64_t hash : short_token_hashes_) filter->AddHash(hash);
  for (uint64_t hash : other_terms_.distinct_hashes()) filter->AddHash(hash);
}

BloomFilter BlockBloomBuilder::Build(double false_positive_rate) const {
  BloomFilter filter(distinct_count(), false_positive_rate);
  FillFilter(&filter);
  return filter;
}

void BlockBloomBuilder::AppendFilterTo(double false_positive_rate, std::string* out) {
  filter_.Reset(distinct_count(), false_positive_rate);
  FillFilter(&filter_);
  filter_.AppendTo(out);
}

void BlockBloomBuilder::Clear() {
  short_tokens_.Clear();
  short_token_hashes_.clear();
  other_terms_.Clear();
  seen_long_tokens_.Clear();
  seen_pairs_.Clear();
}

}  // namespace silt::bloom
