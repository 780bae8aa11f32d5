#include "shared/http/percent_encoding.h"

#include <string>

namespace silt::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Quotes at most 64 bytes of `text` for an error message.
std::string Quote(std::string_view text) {
  constexpr size_t kMaxQuoted = 64;
  std::string quoted = "\"";
  quoted.append(text.substr(0, kMaxQuoted));
  if (text.size() > kMaxQuoted) quoted.append("...");
  quoted.push_back('"');
  return quoted;
}

}  // namespace

Result<std::string> PercentDecode(std::string_view text, PlusMeans plus) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus == PlusMeans::kSpace) {
      out.push_back(' ');
      continue;
    }
    if (c == '\0') {
      return Status::InvalidArgument("NUL byte at offset " + std::to_string(i) + " in " +
                                     Quote(text) + " is not allowed");
    }
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    const int high = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
    const int low = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (high < 0 || low < 0) {
      return Status::InvalidArgument("invalid percent-escape at offset " + std::to_string(i) +
                                     " in " + Quote(text) +
                                     ": '%' must be followed by two hex digits (write '%25' for "
                                     "a literal '%')");
    }
    const char decoded = static_cast<char>(high * 16 + low);
    if (decoded == '\0') {
      return Status::InvalidArgument("escaped NUL byte (%00) at offset " + std::to_string(i) +
                                     " in " + Quote(text) + " is not allowed");
    }
    out.push_back(decoded);
    i += 2;
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0xF]);
  }
  return out;
}

}  // namespace silt::http
