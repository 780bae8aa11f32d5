#include "shared/units/decimal.h"

#include <cassert>

namespace silt::units {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid UTF-8 sequence (2..4 bytes, no overlongs, no surrogates, <= U+10FFFF) that
// starts at text[i], or 0 when there is none.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (len == 0 || c > 0xf4 || i + len > text.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  }
  unsigned char c1 = byte(i + 1);
  if (c == 0xe0 && c1 < 0xa0) return 0;   // overlong
  if (c == 0xed && c1 >= 0xa0) return 0;  // surrogate
  if (c == 0xf0 && c1 < 0x90) return 0;   // overlong
  if (c == 0xf4 && c1 >= 0x90) return 0;  // above U+10FFFF
  if (c == 0xc2 && c1 < 0xa0) return 0;   // C1 control: show escaped
  return len;
}

size_t CountDigits(std::string_view text, size_t from) {
  size_t i = from;
  while (i < text.size() && IsDigit(text[i])) ++i;
  return i - from;
}

}  // namespace

DecimalToken ScanDecimal(std::string_view text) {
  DecimalToken token;
  size_t n = CountDigits(text, 0);
  token.integer = text.substr(0, n);
  token.length = n;
  if (n < text.size() && text[n] == '.') {
    size_t f = CountDigits(text, n + 1);
    if (n > 0 || f > 0) {
      token.has_point = true;
      token.fraction = text.substr(n + 1, f);
      token.length = n + 1 + f;
    }
  }
  return token;
}

std::optional<uint64_t> ScaleDecimal(std::string_view integer, std::string_view fraction,
                                     uint64_t multiplier, Rounding rounding, uint64_t max) {
  assert(multiplier > 0);
  using U128 = unsigned __int128;
  U128 whole = 0;
  for (char c : integer) {
    assert(IsDigit(c));
    whole = whole * 10 + static_cast<unsigned>(c - '0');
    if (whole > max) return std::nullopt;  // multiplier >= 1, so the product is larger still
  }
  // fraction * multiplier by schoolbook multiplication from the last digit: `carry` ends as the
  // integer part, `first_digit` is the first decimal of what remains (for rounding).
  U128 carry = 0;
  unsigned first_digit = 0;
  for (size_t i = fraction.size(); i-- > 0;) {
    assert(IsDigit(fraction[i]));
    U128 t = static_cast<U128>(static_cast<unsigned>(fraction[i] - '0')) * multiplier + carry;
    first_digit = static_cast<unsigned>(t % 10);
    carry = t / 10;
  }
  U128 total = whole * multiplier + carry;
  if (rounding == Rounding::kHalfUp && !fraction.empty() && first_digit >= 5) ++total;
  if (total > max) return std::nullopt;
  return static_cast<uint64_t>(total);
}

std::string QuoteForError(std::string_view text) {
  constexpr size_t kMaxShown = 120;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (size_t len = c >= 0x80 ? Utf8SequenceLength(text, i) : 0; len > 0) {
      out.append(text.substr(i, len));
      i += len - 1;
    } else if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

}  // namespace silt::units
