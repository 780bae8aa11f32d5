#include "shared/http/websocket_frame_encoder.h"

#include <algorithm>
#include <cassert>

namespace silt::http {
namespace {

void AppendHeader(WebSocketOpcode opcode, size_t length, bool fin, bool masked, std::string* out) {
  assert((static_cast<uint8_t>(opcode) & 0x8) == 0 || (fin && length <= kMaxControlPayload));
  out->push_back(static_cast<char>((fin ? 0x80 : 0x00) | static_cast<uint8_t>(opcode)));
  const char mask_bit = masked ? static_cast<char>(0x80) : 0;
  if (length < 126) {
    out->push_back(static_cast<char>(mask_bit | static_cast<char>(length)));
    return;
  }
  const int width = length <= 0xFFFF ? 2 : 8;
  out->push_back(static_cast<char>(mask_bit | (width == 2 ? 126 : 127)));
  for (int i = width - 1; i >= 0; --i) {
    out->push_back(static_cast<char>((static_cast<uint64_t>(length) >> (8 * i)) & 0xFF));
  }
}

}  // namespace

void AppendWebSocketFrame(WebSocketOpcode opcode, std::string_view payload, std::string* out,
                          bool fin) {
  out->reserve(out->size() + payload.size() + kMaxFrameHeader);
  AppendHeader(opcode, payload.size(), fin, /*masked=*/false, out);
  out->append(payload);
}

std::string EncodeCloseFrame(uint16_t code, std::string_view reason) {
  std::string payload;
  if (code != kCloseNoStatus) {
    payload.push_back(static_cast<char>(code >> 8));
    payload.push_back(static_cast<char>(code & 0xFF));
    size_t keep = std::min(reason.size(), kMaxControlPayload - 2);
    // Back up over continuation bytes so a multi-byte character is not cut in half.
    while (keep < reason.size() && keep > 0 &&
           (static_cast<uint8_t>(reason[keep]) & 0xC0) == 0x80) {
      --keep;
    }
    payload.append(reason.substr(0, keep));
  }
  std::string frame;
  AppendWebSocketFrame(WebSocketOpcode::kClose, payload, &frame);
  return frame;
}

void AppendMaskedWebSocketFrame(WebSocketOpcode opcode, std::string_view payload, uint32_t mask,
                                std::string* out, bool fin) {
  AppendHeader(opcode, payload.size(), fin, /*masked=*/true, out);
  const char key[4] = {static_cast<char>(mask >> 24), static_cast<char>(mask >> 16),
                       static_cast<char>(mask >> 8), static_cast<char>(mask)};
  out->append(key, 4);
  for (size_t i = 0; i < payload.size(); ++i) out->push_back(payload[i] ^ key[i & 3]);
}

}  // namespace silt::http
