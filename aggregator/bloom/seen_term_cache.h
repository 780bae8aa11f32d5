// SeenTermCache: a small direct-mapped cache of terms already added to the bloom filter of the
// block being built, keyed by the term's bytes packed exactly into 128 bits (SeenTermKey). It
// lets the block builder skip the work a repeated term would cost (for a key/value pair: value
// classification, building the `name=value` term, XXH3 and the distinct-set insert; for a token
// of 9-16 bytes: XXH3 and the insert) without hashing it first.
//
// Exact by construction: a key packs its term's bytes without loss, so Contains is true only for
// a key inserted since the last Clear; a slot holds one key, so a newer key with the same slot
// evicts an older one, which then just costs the full work again. A miss never drops a term,
// and a hit never stands for another term; that is why the filter's terms are unchanged.
// 16 KiB, no allocation; header-only so the key functions inline. Not thread-safe; one per
// block builder.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace silt::bloom {

// A term's bytes packed into two words; `first` is never 0 for a key made by the functions below
// (0 marks an empty slot).
struct SeenTermKey {
  uint64_t first = 0;
  uint64_t second = 0;
  friend bool operator==(const SeenTermKey&, const SeenTermKey&) = default;
};

namespace internal {

inline uint64_t Load32(const char* p) {
  uint32_t value;
  std::memcpy(&value, p, 4);
  if constexpr (std::endian::native == std::endian::big) value = __builtin_bswap32(value);
  return value;
}

inline uint64_t Byte(const char* p) { return static_cast<unsigned char>(*p); }

}  // namespace internal

// The bytes of `bytes` (at most 8) as a little-endian integer, zero-padded. Reads only inside
// `bytes`; no loop and no memcpy call.
inline uint64_t LoadPadded(std::string_view bytes) {
  const char* p = bytes.data();
  const size_t n = bytes.size();
  if (n >= 4) {
    // Two 4-byte loads that overlap for n < 8; the shared bytes land on the same positions.
    return internal::Load32(p) | (internal::Load32(p + n - 4) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  return internal::Byte(p) | (internal::Byte(p + n / 2) << (8 * (n / 2))) |
         (internal::Byte(p + n - 1) << (8 * (n - 1)));
}

// The key of a token of 9 to 16 bytes (token bytes hold no NUL, so zero padding is
// unambiguous); nullopt for other lengths.
inline std::optional<SeenTermKey> LongTokenKey(std::string_view token) {
  if (token.size() < 9 || token.size() > 16) return std::nullopt;
  return SeenTermKey{LoadPadded(token.substr(0, 8)), LoadPadded(token.substr(8))};
}

// The key of a key/value pair given its normalized name (1-7 bytes of [A-Za-z0-9]) and value
// (1-8 arbitrary bytes); nullopt when the pair does not fit. The name (no NUL byte, so zero
// padding is unambiguous) fills bytes 0-6 of `first` and the value's length byte 7; the value,
// which may hold NUL bytes, is told apart by that length.
inline std::optional<SeenTermKey> PairKey(std::string_view normalized_name,
                                          std::string_view value) {
  if (normalized_name.empty() || normalized_name.size() > 7 || value.empty() || value.size() > 8) {
    return std::nullopt;
  }
  return SeenTermKey{LoadPadded(normalized_name) | (uint64_t{value.size()} << 56),
                     LoadPadded(value)};
}

class SeenTermCache {
 public:
  SeenTermCache() = default;

  // True only when `key` was inserted since the last Clear and not evicted since.
  bool Contains(SeenTermKey key) const { return slots_[SlotOf(key)] == key; }
  // Remembers `key` (key.first != 0), evicting whatever shared its slot.
  void Insert(SeenTermKey key) { slots_[SlotOf(key)] = key; }
  // Forgets every key (the next block starts).
  void Clear() { slots_.fill(SeenTermKey{}); }

 private:
  static constexpr int kSlotBits = 10;

  static size_t SlotOf(SeenTermKey key) {
    const uint64_t mixed =
        (key.first ^ (key.second * 0xC2B2AE3D27D4EB4FULL)) * 0x9E3779B97F4A7C15ULL;
    return static_cast<size_t>(mixed >> (64 - kSlotBits));
  }

  std::array<SeenTermKey, size_t{1} << kSlotBits> slots_{};
};

}  // namespace silt::bloom
