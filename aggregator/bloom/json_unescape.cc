#include "aggregator/bloom/json_unescape.h"

#include <cstdint>
#include <optional>

#include "shared/labels/utf8.h"

namespace silt::bloom {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

std::optional<char32_t> ParseHex4(std::string_view digits) {
  if (digits.size() < 4) return std::nullopt;
  char32_t value = 0;
  for (int i = 0; i < 4; ++i) {
    char c = digits[i];
    value <<= 4;
    if (c >= '0' && c <= '9') {
      value |= static_cast<char32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      value |= static_cast<char32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      value |= static_cast<char32_t>(c - 'A' + 10);
    } else {
      return std::nullopt;
    }
  }
  return value;
}

bool IsHighSurrogate(char32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
bool IsLowSurrogate(char32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

// Decodes the \uXXXX escape whose hex digits start at body[*pos]; advances *pos past it (and past
// a following low-surrogate escape it pairs with).
bool AppendUnicodeEscape(std::string_view body, size_t* pos, std::string* out) {
  std::optional<char32_t> unit = ParseHex4(body.substr(*pos));
  if (!unit) return false;
  *pos += 4;
  char32_t code_point = *unit;
  if (IsHighSurrogate(code_point)) {
    std::optional<char32_t> low;
    if (body.substr(*pos, 2) == "\\u") low = ParseHex4(body.substr(*pos + 2));
    if (low && IsLowSurrogate(*low)) {
      code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
      *pos += 6;
    } else {
      code_point = kReplacement;
    }
  } else if (IsLowSurrogate(code_point)) {
    code_point = kReplacement;
  }
  labels::AppendUtf8(code_point, out);
  return true;
}

char SimpleEscape(char c) {
  switch (c) {
    case '"':
      return '"';
    case '\\':
      return '\\';
    case '/':
      return '/';
    case '\'':
      return '\'';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return '\0';
  }
}

}  // namespace

bool AppendUnescaped(std::string_view body, std::string* out) {
  size_t pos = 0;
  while (pos < body.size()) {
    size_t backslash = body.find('\\', pos);
    if (backslash == std::string_view::npos) {
      out->append(body.substr(pos));
      return true;
    }
    out->append(body.substr(pos, backslash - pos));
    if (backslash + 1 >= body.size()) return false;
    char kind = body[backslash + 1];
    pos = backslash + 2;
    if (kind == 'u') {
      if (!AppendUnicodeEscape(body, &pos, out)) return false;
      continue;
    }
    char decoded = SimpleEscape(kind);
    if (decoded == '\0') return false;
    out->push_back(decoded);
  }
  return true;
}

bool AppendWithoutInvalidUtf8(std::string_view bytes, std::string* out) {
  static constexpr std::string_view kReplacementUtf8 = "\xEF\xBF\xBD";
  bool dropped = false;
  size_t pos = 0;
  while (pos < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[pos]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
      ++pos;
      continue;
    }
    size_t length = labels::ValidUtf8SequenceLength(bytes.substr(pos));
    if (length == 0) {
      dropped = true;
      ++pos;
      continue;
    }
    std::string_view sequence = bytes.substr(pos, length);
    if (sequence == kReplacementUtf8) {
      dropped = true;
    } else {
      out->append(sequence);
    }
    pos += length;
  }
  return dropped;
}

}  // namespace silt::bloom
