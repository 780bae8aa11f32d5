#include "aggregator/bloom/bloom_filter.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <cmath>
#include <cstring>
#include <string>

namespace silt::bloom {
namespace {

// The i-th probe of `hash` in [0, bits): double hashing, then a multiply-shift range reduction
// (which uses the high bits, where the sum is best mixed).
inline uint64_t Probe(uint64_t h1, uint64_t h2, int i, uint64_t bits) {
  uint64_t x = h1 + static_cast<uint64_t>(i) * h2;
  return static_cast<uint64_t>((static_cast<unsigned __int128>(x) * bits) >> 64);
}

inline uint64_t SecondHash(uint64_t hash) { return ((hash >> 32) | (hash << 32)) | 1; }

void StoreLittleEndian32(uint32_t value, char* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

uint64_t GetLittleEndian(const char* p, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return value;
}

}  // namespace

void BloomFilter::Reset(size_t expected_count, double false_positive_rate) {
  assert(false_positive_rate > 0 && false_positive_rate < 1);
  const double ln2 = std::log(2.0);
  double bits =
      std::ceil(-static_cast<double>(expected_count) * std::log(false_positive_rate) / (ln2 * ln2));
  size_t words = std::max<size_t>(1, static_cast<size_t>((bits + 63) / 64));
  words_.assign(words, 0);
  int k = static_cast<int>(std::lround(-std::log(false_positive_rate) / ln2));
  hash_count_ = std::clamp(k, 1, kMaxHashCount);
}

void BloomFilter::AddHash(uint64_t hash) {
  const uint64_t bits = bit_count();
  const uint64_t h2 = SecondHash(hash);
  for (int i = 0; i < hash_count_; ++i) {
    uint64_t bit = Probe(hash, h2, i, bits);
    words_[bit >> 6] |= uint64_t{1} << (bit & 63);
  }
}

bool BloomFilter::MayContainHash(uint64_t hash) const {
  const uint64_t bits = bit_count();
  const uint64_t h2 = SecondHash(hash);
  for (int i = 0; i < hash_count_; ++i) {
    uint64_t bit = Probe(hash, h2, i, bits);
    if ((words_[bit >> 6] & (uint64_t{1} << (bit & 63))) == 0) return false;
  }
  return true;
}

void BloomFilter::AppendTo(std::string* out) const {
  const size_t start = out->size();
  out->resize(start + SerializedSize());
  char* p = out->data() + start;
  p[0] = static_cast<char>(kBloomFormatVersion);
  p[1] = static_cast<char>(hash_count_);
  p[2] = p[3] = 0;
  StoreLittleEndian32(static_cast<uint32_t>(words_.size()), p + 4);
  p += kBloomHeaderSize;
  if constexpr (std::endian::native == std::endian::little) {
    std::memcpy(p, words_.data(), words_.size() * 8);
  } else {
    for (uint64_t word : words_) {
      for (int i = 0; i < 8; ++i) *p++ = static_cast<char>((word >> (8 * i)) & 0xFF);
    }
  }
}

Result<BloomFilter> BloomFilter::Deserialize(std::string_view bytes) {
  if (bytes.size() < kBloomHeaderSize) {
    return Status::Corruption("bloom filter: " + std::to_string(bytes.size()) +
                              " bytes, shorter than its 8-byte header");
  }
  auto version = static_cast<uint8_t>(bytes[0]);
  if (version != kBloomFormatVersion) {
    return Status::Corruption("bloom filter: unknown version " + std::to_string(version) +
                              " (this build reads version " + std::to_string(kBloomFormatVersion) +
                              ")");
  }
  int k = static_cast<uint8_t>(bytes[1]);
  if (k < 1 || k > kMaxHashCount) {
    return Status::Corruption("bloom filter: hash count " + std::to_string(k) + " outside 1.." +
                              std::to_string(kMaxHashCount));
  }
  if (GetLittleEndian(bytes.data() + 2, 2) != 0) {
    return Status::Corruption("bloom filter: reserved header bits are set");
  }
  uint64_t words = GetLittleEndian(bytes.data() + 4, 4);
  if (words == 0 || (bytes.size() - kBloomHeaderSize) / 8 != words ||
      (bytes.size() - kBloomHeaderSize) % 8 != 0) {
    return Status::Corruption("bloom filter: header says " + std::to_string(words) + " words but " +
                              std::to_string(bytes.size() - kBloomHeaderSize) + " bytes follow it");
  }
  std::vector<uint64_t> data(words);
  for (uint64_t i = 0; i < words; ++i) {
    data[i] = GetLittleEndian(bytes.data() + kBloomHeaderSize + 8 * i, 8);
  }
  return BloomFilter(std::move(data), k);
}

}  // namespace silt::bloom
