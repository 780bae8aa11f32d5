#include "aggregator/bloom/term_extractor.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <functional>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"
#include "aggregator/bloom/tokenizer.h"

namespace silt::bloom {
namespace {

// Sets *offset to where `value` starts in `line` and returns true when it lies inside it.
bool OffsetIn(std::string_view line, std::string_view value, size_t* offset) {
  const std::less_equal<const char*> le;
  if (line.empty() || !le(line.data(), value.data()) ||
      !le(value.data() + value.size(), line.data() + line.size())) {
    return false;
  }
  *offset = static_cast<size_t>(value.data() - line.data());
  return true;
}

// True when bytes [begin, end) of `line` have a non-token byte or the line's edge on each side:
// then every token of those bytes is a token of the line.
bool IsBoundedAt(std::string_view line, size_t begin, size_t end) {
  return (begin == 0 || !IsTokenByte(line[begin - 1])) &&
         (end == line.size() || !IsTokenByte(line[end]));
}

// min(4, number of set bits of x), without a popcount instruction (not in baseline x86-64).
inline int CountBitsUpTo4(uint64_t x) {
  int count = x != 0;
  x &= x - 1;
  count += x != 0;
  x &= x - 1;
  count += x != 0;
  x &= x - 1;
  return count + (x != 0);
}

// The 64 bits of `words` (bit i of word i / 64 stands for byte i) that start at bit `begin`.
// `words` has a word past the last one any `begin` points into.
inline uint64_t BitsAt(const std::vector<uint64_t>& words, size_t begin) {
  const size_t shift = begin % 64;
  const uint64_t low = words[begin / 64] >> shift;
  // (high << 1) << (63 - shift) is high << (64 - shift), and 0 for shift 0, without UB.
  return low | ((words[begin / 64 + 1] << 1) << (63 - shift));
}

#if defined(__SSE2__)
// Bit i of *digits / *high set when p[i] is an ASCII digit / >= 0x80, for i < n (n <= 64).
inline void ClassifyChunk(const char* p, size_t n, uint64_t* digits, uint64_t* high) {
  auto classify = [](__m128i v, uint64_t* d, uint64_t* h) {
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    *d = static_cast<unsigned>(_mm_movemask_epi8(digit));
    *h = static_cast<unsigned>(_mm_movemask_epi8(v));
  };
  uint64_t d = 0, h = 0, dd, hh;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    classify(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)), &dd, &hh);
    d |= dd << i;
    h |= hh << i;
  }
  if (i < n) {
    const size_t rest = n - i;
    if (n >= 16) {  // the last 16 bytes overlap what is done: shift those bits out
      classify(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16)), &dd, &hh);
      dd >>= 16 - rest;
      hh >>= 16 - rest;
    } else {
      alignas(16) char tail[16] = {};
      std::memcpy(tail, p + i, rest);
      classify(_mm_load_si128(reinterpret_cast<const __m128i*>(tail)), &dd, &hh);
    }
    d |= dd << i;
    h |= hh << i;
  }
  *digits = d;
  *high = h;
}
#else
inline void ClassifyChunk(const char* p, size_t n, uint64_t* digits, uint64_t* high) {
  uint64_t d = 0, h = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    d |= static_cast<uint64_t>(c - '0' < 10u) << i;
    h |= static_cast<uint64_t>(c >> 7) << i;
  }
  *digits = d;
  *high = h;
}
#endif

}  // namespace

void TermExtractor::ClassifyLine(std::string_view line) {
  const size_t words = (line.size() + 63) / 64;
  if (digit_words_.size() < words + 1) {
    digit_words_.resize(words + 1);
    high_words_.resize(words + 1);
  }
  for (size_t w = 0; w < words; ++w) {
    ClassifyChunk(line.data() + 64 * w, std::min<size_t>(64, line.size() - 64 * w),
                  &digit_words_[w], &high_words_[w]);
  }
  digit_words_[words] = high_words_[words] = 0;  // BitsAt reads one word past the line
}

void TermExtractor::ClassifyValue(std::string_view line, std::string_view value, bool* ascii,
                                  int* digits, bool* bounded) const {
  size_t begin;
  if (OffsetIn(line, value, &begin)) {
    uint64_t high = 0;
    int count = 0;
    for (size_t at = begin; at < begin + value.size(); at += 64) {  // one round for most values
      const uint64_t mask = ~uint64_t{0} >> (64 - std::min<size_t>(64, begin + value.size() - at));
      high |= BitsAt(high_words_, at) & mask;
      count += CountBitsUpTo4(BitsAt(digit_words_, at) & mask);
    }
    *ascii = high == 0;
    *digits = count;
    *bounded = IsBoundedAt(line, begin, begin + value.size());
    return;
  }
  unsigned high = 0;
  int count = 0;
  for (char c : value) {
    high |= static_cast<unsigned char>(c);
    count += static_cast<unsigned char>(c - '0') < 10;
  }
  *ascii = high < 0x80;
  *digits = count;
  *bounded = false;
}

bool LooksLikeJsonObject(std::string_view line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

void TermExtractor::ForEachLineTerm(std::string_view line, TermCallback on_term) {
  ForEachToken(line, on_term);
  ForEachLinePairTerm(line, on_term);
}

void TermExtractor::ForEachLinePairTerm(std::string_view line, TermCallback on_term,
                                        SeenTermCache* seen) {
  auto on_pair = [&](std::string_view name, std::string_view value) {
    EmitPair(line, name, value, on_term, seen);
  };
  const bool json = LooksLikeJsonObject(line);
  const bool logfmt = line.find('=') != std::string_view::npos;
  if (!json && !logfmt) return;
  ClassifyLine(line);
  if (json) json_.Scan(line, on_pair);
  if (logfmt) logfmt_.Scan(line, on_pair);
}

void TermExtractor::ForEachPairTerm(std::string_view name, std::string_view value,
                                    TermCallback on_term, SeenTermCache* seen) {
  // Not in any line.
  EmitPair({}, NormalizedName(name, &normalized_name_), value, on_term, seen);
}

void TermExtractor::EmitPair(std::string_view line, std::string_view normalized_name,
                             std::string_view value, TermCallback on_term, SeenTermCache* seen) {
  if (value.empty() || normalized_name.empty()) return;
  // Only a pair whose terms were all reported goes into `seen`, so a hit skips nothing new.
  const std::optional<SeenTermKey> key =
      seen != nullptr ? PairKey(normalized_name, value) : std::nullopt;
  if (key && seen->Contains(*key)) return;
  bool ascii, bounded;
  int digits;
  ClassifyValue(line, value, &ascii, &digits, &bounded);
  // TokensMayStandForValue(value) && bounded in the line, without a loop over the value.
  if (ascii && digits >= kMinDigitsForTokenValue && bounded) return;
  EmitTerm(normalized_name, value, on_term);
  if (!ascii) {
    cleaned_.clear();
    if (AppendWithoutInvalidUtf8(value, &cleaned_) && !cleaned_.empty()) {
      EmitTerm(normalized_name, cleaned_, on_term);
    }
  }
  if (key) seen->Insert(*key);
}

void TermExtractor::EmitTerm(std::string_view normalized_name, std::string_view value,
                             TermCallback on_term) {
  // Raw copies into a buffer that only grows: std::string's append bookkeeping per term costs
  // more than the copies.
  const size_t size = normalized_name.size() + 1 + value.size();
  if (term_.size() < size) term_.resize(std::max<size_t>(size, 256));
  char* p = term_.data();
  std::memcpy(p, normalized_name.data(), normalized_name.size());
  p[normalized_name.size()] = '=';
  std::memcpy(p + normalized_name.size() + 1, value.data(), value.size());
  on_term(std::string_view(p, size));
}

}  // namespace silt::bloom
