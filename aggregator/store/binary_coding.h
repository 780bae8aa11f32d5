// Little-endian fixed-width integers and LEB128 varints for Silt's on-disk formats, plus
// ByteReader, a bounds-checked cursor for decoding untrusted bytes: every read says whether the
// bytes were there, so a decoder never reads past its input. Header-only; stateless functions are
// thread-safe, a ByteReader is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace silt::store {

inline void PutFixed(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
inline void PutFixed8(uint8_t value, std::string* out) { PutFixed(value, 1, out); }
inline void PutFixed16(uint16_t value, std::string* out) { PutFixed(value, 2, out); }
inline void PutFixed32(uint32_t value, std::string* out) { PutFixed(value, 4, out); }
inline void PutFixed64(uint64_t value, std::string* out) { PutFixed(value, 8, out); }

inline uint64_t DecodeFixed(const char* p, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  }
  return value;
}

// Appends `value` as a LEB128 varint: 7 bits per byte, low groups first, high bit = more follow.
inline void PutVarint64(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

// Bytes PutVarint64 writes for `value` (1..10).
inline size_t VarintLength(uint64_t value) {
  size_t length = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++length;
  }
  return length;
}

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}

  // Each Read* returns false, leaving the cursor where it was, when the input is too short (or,
  // for varints, longer than 10 bytes or overflowing 64 bits).
  bool ReadFixed(int bytes, uint64_t* value) {
    if (remaining() < static_cast<size_t>(bytes)) return false;
    *value = DecodeFixed(data_.data() + pos_, bytes);
    pos_ += static_cast<size_t>(bytes);
    return true;
  }
  template <typename T>
  bool ReadFixedAs(T* value) {
    uint64_t raw;
    if (!ReadFixed(sizeof(T), &raw)) return false;
    *value = static_cast<T>(raw);
    return true;
  }
  bool ReadVarint64(uint64_t* value) {
    uint64_t result = 0;
    for (size_t i = 0; i < 10 && pos_ + i < data_.size(); ++i) {
      auto byte = static_cast<uint8_t>(data_[pos_ + i]);
      if (i == 9 && byte > 1) return false;
      result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) {
        pos_ += i + 1;
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool ReadBytes(size_t n, std::string_view* bytes) {
    if (remaining() < n) return false;
    *bytes = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  // A varint length followed by that many bytes.
  bool ReadLengthPrefixed(std::string_view* bytes) {
    size_t start = pos_;
    uint64_t length;
    if (!ReadVarint64(&length)) return false;
    if (length > remaining()) {
      pos_ = start;
      return false;
    }
    return ReadBytes(static_cast<size_t>(length), bytes);
  }

  size_t offset() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool empty() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

}  // namespace silt::store
