// The token rule shared by bloom building and bloom queries: a token is a maximal run of
// `[A-Za-z0-9_]` bytes. Matching is case-sensitive; no lowercased copies are made. Every other
// byte (space, punctuation, any byte >= 0x80) separates tokens.
//
// Header-only so the per-byte loop and the callback inline. Stateless; thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

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

}  // namespace internal

// True for the bytes tokens are made of: [A-Za-z0-9_].
constexpr bool IsTokenByte(char c) { return internal::kTokenByte[static_cast<unsigned char>(c)]; }

// Calls `on_token(std::string_view)` for each token of `text`, left to right; the views point into
// `text`. Nothing is allocated.
template <typename F>
void ForEachToken(std::string_view text, F&& on_token) {
  const char* p = text.data();
  const char* const end = p + text.size();
  while (p < end) {
    while (p < end && !IsTokenByte(*p)) ++p;
    const char* start = p;
    while (p < end && IsTokenByte(*p)) ++p;
    if (p > start) on_token(std::string_view(start, static_cast<size_t>(p - start)));
  }
}

}  // namespace silt::bloom
