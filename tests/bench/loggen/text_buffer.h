// TextBuffer: a growable byte buffer with the few appenders log lines need (decimal and hex
// numbers, zero-padded fields, JSON string escaping, insertion in the middle). It allocates only
// when it grows, so a buffer reused line after line stops allocating once it has seen the longest
// line. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

namespace silt::loggen {

class TextBuffer {
 public:
  explicit TextBuffer(size_t initial_capacity = 4096);
  TextBuffer(const TextBuffer&) = delete;
  TextBuffer& operator=(const TextBuffer&) = delete;
  TextBuffer(TextBuffer&&) noexcept = default;
  TextBuffer& operator=(TextBuffer&&) noexcept = default;

  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }
  void Clear() { size_ = 0; }
  // Drops everything after the first `size` bytes. Precondition: size <= this->size().
  void Truncate(size_t size) { size_ = size; }
  char back() const { return data_[size_ - 1]; }

  void Append(std::string_view text) {
    if (text.empty()) return;  // data() may be null, which memcpy must not see
    Reserve(text.size());
    std::memcpy(data_.get() + size_, text.data(), text.size());
    size_ += text.size();
  }
  void Append(char c) {
    Reserve(1);
    data_[size_++] = c;
  }
  // Decimal digits of `value`.
  void AppendUint(uint64_t value);
  // Decimal of `value` with a '-' when negative.
  void AppendInt(int64_t value);
  // Decimal digits of `value` left-padded with zeros to `width` (more digits when needed).
  void AppendPadded(uint64_t value, int width);
  // `value / 10^decimals` with exactly `decimals` fraction digits: (12345, 3) -> "12.345".
  void AppendFixedPoint(uint64_t value, int decimals);
  // The low `digits` hex digits of `value`, lowercase, zero-padded. Precondition: digits <= 16.
  void AppendHex(uint64_t value, int digits);
  // `text` escaped for the inside of a JSON string (quote, backslash, control characters).
  void AppendJsonEscaped(std::string_view text);
  // Opens a gap of `n` bytes at `pos` (moving the bytes after it) and returns a pointer to it for
  // the caller to fill. Precondition: pos <= size(). The pointer is valid until the next call.
  char* InsertGap(size_t pos, size_t n);
  // Makes room for `n` more bytes without changing size().
  void Reserve(size_t n) {
    if (size_ + n > capacity_) Grow(size_ + n);
  }

 private:
  void Grow(size_t needed);

  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace silt::loggen
