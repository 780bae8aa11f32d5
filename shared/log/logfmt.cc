#include "shared/log/logfmt.h"

#include <cstddef>
#include <cstdint>

namespace silt::log {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// One decoded UTF-8 sequence: its code point and length, or length 0 when the bytes at the
// position do not start a valid sequence (bad lead, bad continuation, overlong, surrogate, or
// above U+10FFFF).
struct Utf8Char {
  uint32_t code_point = 0;
  size_t length = 0;
};

Utf8Char DecodeUtf8(std::string_view text, size_t i) {
  const unsigned char lead = static_cast<unsigned char>(text[i]);
  if (lead < 0x80) return {lead, 1};
  // Lead byte ranges exclude overlong 2-byte forms (0xc0, 0xc1) and code points past U+10FFFF.
  const size_t length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
  if (lead < 0xc2 || lead > 0xf4) return {};
  static constexpr uint32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  const uint32_t min = kMinForLength[length];
  uint32_t cp = lead & (0x7fu >> length);
  if (i + length > text.size()) return {};
  for (size_t k = 1; k < length; ++k) {
    const unsigned char c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xc0) != 0x80) return {};
    cp = (cp << 6) | (c & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return {};
  return {cp, length};
}

bool IsControl(uint32_t cp) { return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f); }

void AppendEscaped(std::string* out, uint32_t cp) {
  switch (cp) {
    case '"':
      *out += "\\\"";
      return;
    case '\\':
      *out += "\\\\";
      return;
    case '\n':
      *out += "\\n";
      return;
    case '\r':
      *out += "\\r";
      return;
    case '\t':
      *out += "\\t";
      return;
    default:
      *out += "\\u00";
      *out += kHex[(cp >> 4) & 0xf];
      *out += kHex[cp & 0xf];
  }
}

}  // namespace

bool LogfmtNeedsQuotes(std::string_view value) {
  if (value.empty()) return true;
  for (size_t i = 0; i < value.size();) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c == ' ' || c == '=' || c == '"') return true;
    const Utf8Char ch = DecodeUtf8(value, i);
    if (ch.length == 0 || IsControl(ch.code_point)) return true;
    i += ch.length;
  }
  return false;
}

void AppendLogfmtValue(std::string* out, std::string_view value) {
  if (!LogfmtNeedsQuotes(value)) {
    out->append(value);
    return;
  }
  *out += '"';
  for (size_t i = 0; i < value.size();) {
    const Utf8Char ch = DecodeUtf8(value, i);
    if (ch.length == 0) {
      const unsigned char c = static_cast<unsigned char>(value[i]);
      *out += "\\x";
      *out += kHex[c >> 4];
      *out += kHex[c & 0xf];
      ++i;
      continue;
    }
    if (IsControl(ch.code_point) || ch.code_point == '"' || ch.code_point == '\\') {
      AppendEscaped(out, ch.code_point);
    } else {
      out->append(value.substr(i, ch.length));
    }
    i += ch.length;
  }
  *out += '"';
}

void AppendLogfmtKey(std::string* out, std::string_view key) {
  if (key.empty()) {
    *out += '_';
    return;
  }
  for (char ch : key) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool plain = c > ' ' && c < 0x7f && c != '=' && c != '"';
    *out += plain ? ch : '_';
  }
}

}  // namespace silt::log
