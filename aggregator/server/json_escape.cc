#include "aggregator/server/json_escape.h"

#include "shared/labels/utf8.h"

namespace silt::server {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendEscapedByte(unsigned char c, std::string* out) {
  switch (c) {
    case '"': out->append("\\\""); return;
    case '\\': out->append("\\\\"); return;
    case '\n': out->append("\\n"); return;
    case '\r': out->append("\\r"); return;
    case '\t': out->append("\\t"); return;
    default:
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
  }
}

}  // namespace

void AppendJsonString(std::string_view bytes, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < bytes.size()) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == '"' || c == '\\' || c == 0x7F) {
        AppendEscapedByte(c, out);
      } else {
        out->push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const size_t length = labels::ValidUtf8SequenceLength(bytes.substr(i));
    if (length == 0) {
      out->append("\\ufffd");
      ++i;
      continue;
    }
    const std::string_view sequence = bytes.substr(i, length);
    if (sequence == "\xE2\x80\xA8") {
      out->append("\\u2028");
    } else if (sequence == "\xE2\x80\xA9") {
      out->append("\\u2029");
    } else {
      out->append(sequence);
    }
    i += length;
  }
  out->push_back('"');
}

}  // namespace silt::server
