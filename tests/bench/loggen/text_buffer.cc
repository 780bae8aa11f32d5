#include "tests/bench/loggen/text_buffer.h"

#include <algorithm>

namespace silt::loggen {
namespace {

constexpr char kDigitPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

int DecimalDigits(uint64_t value) {
  int digits = 1;
  while (value >= 10000) {
    value /= 10000;
    digits += 4;
  }
  return digits + (value >= 10) + (value >= 100) + (value >= 1000);
}

// Writes the decimal digits of `value` so that they end at `end` (exclusive), right to left.
// Returns the first digit's position.
char* WriteDigits(uint64_t value, char* end) {
  while (value >= 100) {
    const size_t pair = (value % 100) * 2;
    value /= 100;
    *--end = kDigitPairs[pair + 1];
    *--end = kDigitPairs[pair];
  }
  if (value >= 10) {
    *--end = kDigitPairs[value * 2 + 1];
    *--end = kDigitPairs[value * 2];
  } else {
    *--end = static_cast<char>('0' + value);
  }
  return end;
}

}  // namespace

TextBuffer::TextBuffer(size_t initial_capacity)
    : data_(new char[std::max<size_t>(initial_capacity, 64)]),
      capacity_(std::max<size_t>(initial_capacity, 64)) {}

void TextBuffer::Grow(size_t needed) {
  const size_t capacity = std::max(needed, capacity_ * 2);
  std::unique_ptr<char[]> data(new char[capacity]);
  std::memcpy(data.get(), data_.get(), size_);
  data_ = std::move(data);
  capacity_ = capacity;
}

void TextBuffer::AppendUint(uint64_t value) {
  const int digits = DecimalDigits(value);
  Reserve(static_cast<size_t>(digits));
  WriteDigits(value, data_.get() + size_ + digits);
  size_ += static_cast<size_t>(digits);
}

void TextBuffer::AppendInt(int64_t value) {
  if (value < 0) {
    Append('-');
    AppendUint(0 - static_cast<uint64_t>(value));
  } else {
    AppendUint(static_cast<uint64_t>(value));
  }
}

void TextBuffer::AppendPadded(uint64_t value, int width) {
  if (width == 2 && value < 100) {
    Append(std::string_view(kDigitPairs + value * 2, 2));
    return;
  }
  char digits[20];
  char* end = digits + sizeof(digits);
  const char* first = WriteDigits(value, end);
  for (int n = static_cast<int>(end - first); n < width; ++n) Append('0');
  Append(std::string_view(first, static_cast<size_t>(end - first)));
}

void TextBuffer::AppendFixedPoint(uint64_t value, int decimals) {
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  AppendUint(value / scale);
  if (decimals == 0) return;
  Append('.');
  AppendPadded(value % scale, decimals);
}

void TextBuffer::AppendHex(uint64_t value, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  Reserve(static_cast<size_t>(digits));
  char* out = data_.get() + size_;
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[value & 0xf];
    value >>= 4;
  }
  size_ += static_cast<size_t>(digits);
}

void TextBuffer::AppendJsonEscaped(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  Reserve(text.size());
  size_t run_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    Append(text.substr(run_start, i - run_start));
    run_start = i + 1;
    switch (c) {
      case '"':
        Append("\\\"");
        break;
      case '\\':
        Append("\\\\");
        break;
      case '\n':
        Append("\\n");
        break;
      case '\t':
        Append("\\t");
        break;
      case '\r':
        Append("\\r");
        break;
      default:
        Append("\\u00");
        Append(kHex[c >> 4]);
        Append(kHex[c & 0xf]);
    }
  }
  Append(text.substr(run_start));
}

char* TextBuffer::InsertGap(size_t pos, size_t n) {
  Reserve(n);
  char* at = data_.get() + pos;
  std::memmove(at + n, at, size_ - pos);
  size_ += n;
  return at;
}

}  // namespace silt::loggen
