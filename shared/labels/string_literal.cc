#include "shared/labels/string_literal.h"

#include <cstdint>
#include <optional>
#include <string>

#include "shared/labels/utf8.h"
#include "shared/labels/validation.h"

namespace silt::labels {
namespace {

Status ErrorAt(size_t offset, std::string_view what) {
  return Status::InvalidArgument("column " + std::to_string(offset + 1) + ": " + std::string(what));
}

std::optional<uint32_t> HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return std::nullopt;
}

// Parses exactly `digits` digits in `base` (8 or 16) at text[start]; nullopt if any is missing.
std::optional<uint32_t> ParseDigits(std::string_view text, size_t start, size_t digits,
                                    uint32_t base) {
  if (start + digits > text.size()) return std::nullopt;
  uint32_t value = 0;
  for (size_t i = 0; i < digits; ++i) {
    std::optional<uint32_t> digit = HexDigit(text[start + i]);
    if (!digit || *digit >= base) return std::nullopt;
    value = value * base + *digit;
  }
  return value;
}

std::optional<char> SimpleEscape(char c) {
  switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    default: return std::nullopt;
  }
}

// Each Read*Escape decodes the escape whose backslash is at text[*pos], appends its bytes and
// advances *pos past it.
Status ReadHexEscape(std::string_view text, size_t* pos, std::string* out) {
  std::optional<uint32_t> v = ParseDigits(text, *pos + 2, 2, 16);
  if (!v) return ErrorAt(*pos, "escape \\x needs exactly 2 hex digits, as in \\x41");
  out->push_back(static_cast<char>(*v));
  *pos += 4;
  return Status::Ok();
}

Status ReadUnicodeEscape(std::string_view text, size_t* pos, std::string* out) {
  const char kind = text[*pos + 1];
  const size_t digits = kind == 'u' ? 4 : 8;
  std::optional<uint32_t> v = ParseDigits(text, *pos + 2, digits, 16);
  if (!v) {
    return ErrorAt(*pos, std::string("escape \\") + kind + " needs exactly " +
                             std::to_string(digits) + " hex digits");
  }
  if (*v > 0x10FFFF || (*v >= 0xD800 && *v <= 0xDFFF)) {
    return ErrorAt(*pos, "escape " + std::string(text.substr(*pos, digits + 2)) +
                             " is not a valid Unicode code point");
  }
  AppendUtf8(static_cast<char32_t>(*v), out);
  *pos += 2 + digits;
  return Status::Ok();
}

Status ReadOctalEscape(std::string_view text, size_t* pos, std::string* out) {
  std::optional<uint32_t> v = ParseDigits(text, *pos + 1, 3, 8);
  if (!v) return ErrorAt(*pos, "octal escape needs exactly 3 digits, as in \\101");
  if (*v > 0377) {
    return ErrorAt(*pos, "octal escape \\" + std::string(text.substr(*pos + 1, 3)) +
                             " is above \\377");
  }
  out->push_back(static_cast<char>(*v));
  *pos += 4;
  return Status::Ok();
}

Status ReadEscape(std::string_view text, size_t* pos, std::string* out) {
  const size_t start = *pos;
  if (start + 1 >= text.size()) return ErrorAt(start, "string literal ends inside an escape");
  const char kind = text[start + 1];
  if (std::optional<char> simple = SimpleEscape(kind)) {
    out->push_back(*simple);
    *pos = start + 2;
    return Status::Ok();
  }
  if (kind == 'x') return ReadHexEscape(text, pos, out);
  if (kind == 'u' || kind == 'U') return ReadUnicodeEscape(text, pos, out);
  if (kind >= '0' && kind <= '7') return ReadOctalEscape(text, pos, out);
  return ErrorAt(start, "unknown escape sequence \\" + std::string(1, kind) +
                            " in string literal; write a backslash as \\\\");
}

Result<std::string> ReadInterpreted(std::string_view text, size_t* pos) {
  const size_t open = *pos;
  std::string value;
  size_t i = open + 1;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"') {
      *pos = i + 1;
      return value;
    }
    if (c == '\n') return ErrorAt(i, "newline in string literal; write it as \\n");
    if (c == '\\') {
      SILT_RETURN_IF_ERROR(ReadEscape(text, &i, &value));
      continue;
    }
    value.push_back(c);
    ++i;
  }
  return ErrorAt(open, "string literal is not terminated; add the closing \"");
}

Result<std::string> ReadRaw(std::string_view text, size_t* pos) {
  const size_t open = *pos;
  const size_t close = text.find('`', open + 1);
  if (close == std::string_view::npos) {
    return ErrorAt(open, "raw string literal is not terminated; add the closing `");
  }
  std::string value;
  value.reserve(close - open - 1);
  for (size_t i = open + 1; i < close; ++i) {
    if (text[i] != '\r') value.push_back(text[i]);
  }
  *pos = close + 1;
  return value;
}

}  // namespace

void AppendQuoted(std::string_view bytes, std::string* out) {
  out->reserve(out->size() + bytes.size() + 2);
  out->push_back('"');
  for (char c : bytes) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '"': out->append("\\\""); break;
      case '\n': out->append("\\n"); break;
      default: out->push_back(c);
    }
  }
  out->push_back('"');
}

std::string Quote(std::string_view bytes) {
  std::string out;
  AppendQuoted(bytes, &out);
  return out;
}

void AppendLabelName(std::string_view name, std::string* out) {
  if (IsValidLabelName(name)) {
    out->append(name);
  } else {
    AppendQuoted(name, out);
  }
}

Result<std::string> ReadStringLiteral(std::string_view text, size_t* pos) {
  if (*pos >= text.size()) {
    return ErrorAt(*pos, "expected a string literal (\"...\" or `...`) but the text ends");
  }
  if (text[*pos] == '"') return ReadInterpreted(text, pos);
  if (text[*pos] == '`') return ReadRaw(text, pos);
  return ErrorAt(*pos, "expected a string literal (\"...\" or `...`)");
}

Result<std::string> Unquote(std::string_view literal) {
  size_t pos = 0;
  SILT_ASSIGN_OR_RETURN(std::string value, ReadStringLiteral(literal, &pos));
  if (pos != literal.size()) return ErrorAt(pos, "unexpected text after the string literal");
  return value;
}

}  // namespace silt::labels
