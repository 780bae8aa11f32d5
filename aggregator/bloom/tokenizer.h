// The token rule shared by bloom building and bloom queries: a token is a maximal run of
// `[A-Za-z0-9_]` bytes. Matching is case-sensitive; no lowercased copies are made. Every other
// byte (space, punctuation, any byte >= 0x80) separates tokens.
//
// ForEachToken classifies 64 bytes at a time into a bit mask (SSE2 on x86-64, a table elsewhere)
// and walks the mask's edges with count-trailing-zeros, so the cost is per token, not a branch per
// byte. Header-only so the callback inlines. Stateless; thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace silt::bloom {

namespace internal {

constexpr std::array<bool, 256> MakeTokenByteTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  table['_'] = true;
  return table;
}
inline constexpr std::array<bool, 256> kTokenByte = MakeTokenByteTable();

// Bit i is set when p[i] is a token byte, for i < n (n <= 64); higher bits are 0. The portable
// definition, and what the SSE2 version must equal.
inline uint64_t TokenMaskScalar(const char* p, size_t n) {
  uint64_t mask = 0;
  for (size_t i = 0; i < n; ++i) {
    mask |= static_cast<uint64_t>(kTokenByte[static_cast<unsigned char>(p[i])]) << i;
  }
  return mask;
}

#if defined(__SSE2__)
// The token-byte mask of 16 bytes. Signed byte compares: bytes >= 0x80 are negative and so fall
// outside every range, as they should.
inline uint32_t TokenMask16(__m128i v) {
  const __m128i folded = _mm_or_si128(v, _mm_set1_epi8(0x20));  // 'A'-'Z' -> 'a'-'z'
  const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(folded, _mm_set1_epi8('a' - 1)),
                                       _mm_cmplt_epi8(folded, _mm_set1_epi8('z' + 1)));
  const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
  const __m128i underscore = _mm_cmpeq_epi8(v, _mm_set1_epi8('_'));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), underscore)));
}
#endif

// Same as TokenMaskScalar(p, n). Never reads outside [p, p + n).
inline uint64_t TokenMask(const char* p, size_t n) {
#if defined(__SSE2__)
  uint64_t mask = 0;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    mask |= static_cast<uint64_t>(TokenMask16(v)) << i;
  }
  if (i < n) {
    const size_t rest = n - i;  // 1..15 bytes
    uint32_t tail_mask;
    if (n >= 16) {  // the last 16 bytes overlap what is done: shift those bits out
      __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16));
      tail_mask = TokenMask16(v) >> (16 - rest);
    } else {
      alignas(16) char tail[16] = {};  // NUL is not a token byte
      std::memcpy(tail, p + i, rest);
      tail_mask = TokenMask16(_mm_load_si128(reinterpret_cast<const __m128i*>(tail)));
    }
    mask |= static_cast<uint64_t>(tail_mask) << i;
  }
  return mask;
#else
  return TokenMaskScalar(p, n);
#endif
}

}  // namespace internal

// True for the bytes tokens are made of: [A-Za-z0-9_].
constexpr bool IsTokenByte(char c) { return internal::kTokenByte[static_cast<unsigned char>(c)]; }

// Calls `on_token(std::string_view)` for each token of `text`, left to right; the views point into
// `text`. Nothing is allocated. `on_token` is called from one place, so it inlines.
template <typename F>
void ForEachToken(std::string_view text, F&& on_token) {
  const char* const data = text.data();
  const size_t size = text.size();
  size_t token_start = 0;
  bool in_token = false;
  uint64_t carry = 0;  // 1 when the last byte before `base` is a token byte
  // A token that ends exactly at the end of a text of 64k bytes is closed by one more, empty,
  // round: its mask is 0, so its first bit is an end.
  for (size_t base = 0; base < size || carry != 0; base += 64) {
    const uint64_t mask =
        base < size ? internal::TokenMask(data + base, std::min<size_t>(64, size - base)) : 0;
    const uint64_t previous = (mask << 1) | carry;  // bit i: byte i-1 is a token byte
    uint64_t starts = mask & ~previous;
    uint64_t ends = ~mask & previous;  // bit i: byte i is the first one after a token
    for (;;) {
      if (!in_token) {
        if (starts == 0) break;
        token_start = base + static_cast<size_t>(std::countr_zero(starts));
        starts &= starts - 1;
        in_token = true;
      }
      if (ends == 0) break;  // the token runs into the next 64 bytes
      const size_t end = base + static_cast<size_t>(std::countr_zero(ends));
      ends &= ends - 1;
      in_token = false;
      on_token(std::string_view(data + token_start, end - token_start));
    }
    carry = mask >> 63;
  }
}

}  // namespace silt::bloom
