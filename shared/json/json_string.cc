#include "shared/json/json_string.h"

#include <array>
#include <cstdint>

#include "shared/labels/utf8.h"

namespace silt::json {
namespace {

enum : uint8_t { kPlain = 0, kEscape = 1, kNonAscii = 2 };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> classes{};
  for (int c = 0; c < 0x20; ++c) classes[c] = kEscape;
  classes['"'] = kEscape;
  classes['\\'] = kEscape;
  for (int c = 0x80; c < 0x100; ++c) classes[c] = kNonAscii;
  return classes;
}

constexpr std::array<uint8_t, 256> kClasses = MakeClasses();
constexpr char kHex[] = "0123456789abcdef";

void AppendEscape(unsigned char c, std::string* out) {
  switch (c) {
    case '"':
      out->append("\\\"");
      return;
    case '\\':
      out->append("\\\\");
      return;
    case '\n':
      out->append("\\n");
      return;
    case '\r':
      out->append("\\r");
      return;
    case '\t':
      out->append("\\t");
      return;
    case '\b':
      out->append("\\b");
      return;
    case '\f':
      out->append("\\f");
      return;
    default:
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
  }
}

}  // namespace

void AppendJsonString(std::string_view bytes, std::string* out) {
  out->push_back('"');
  size_t run_start = 0;
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    const uint8_t klass = kClasses[c];
    if (klass == kPlain) {
      ++i;
      continue;
    }
    if (klass == kNonAscii) {
      const size_t length = labels::ValidUtf8SequenceLength(bytes.substr(i));
      const bool line_separator = length == 3 && c == 0xE2 &&
                                  static_cast<unsigned char>(bytes[i + 1]) == 0x80 &&
                                  (static_cast<unsigned char>(bytes[i + 2]) & 0xFE) == 0xA8;
      if (length != 0 && !line_separator) {
        i += length;
        continue;
      }
      out->append(bytes.data() + run_start, i - run_start);
      if (line_separator) {
        out->append(static_cast<unsigned char>(bytes[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029");
        i += 3;
      } else {
        out->append("\\ufffd");
        ++i;
      }
      run_start = i;
      continue;
    }
    out->append(bytes.data() + run_start, i - run_start);
    AppendEscape(c, out);
    run_start = ++i;
  }
  out->append(bytes.data() + run_start, n - run_start);
  out->push_back('"');
}

}  // namespace silt::json
