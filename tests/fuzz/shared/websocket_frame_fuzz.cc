// Fuzz target for shared/http's WebSocket frame parser (and encoder). Input layout: byte 0 bits
// 0-6 choose how the rest is cut into Feed() calls (0 = all at once, 1 = byte by byte, n =
// pseudo-random pieces of 1..n bytes); bit 7 set parses as a client would (unmasked frames),
// clear as the server (masked frames required). Bytes 1.. are the received stream. Every message
// must respect the limits (control payloads <= 125 bytes, data <= 4 KiB, text valid UTF-8,
// close codes valid), must survive an encode/parse round trip, and a failed parser must name a
// close code and a reason and stay failed.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "shared/http/websocket_frame_encoder.h"
#include "shared/http/websocket_frame_parser.h"
#include "shared/labels/utf8.h"

namespace silt::http {
namespace {

constexpr size_t kMaxMessage = 4096;

void Check(bool condition) {
  if (!condition) std::abort();
}

size_t NextPieceSize(uint8_t mode, uint32_t* state, size_t remaining) {
  if (mode == 0) return remaining;
  if (mode == 1) return 1;
  *state = *state * 1103515245u + 12345u;
  return 1 + (*state >> 8) % mode;
}

void CheckMessage(const WebSocketMessage& message, bool client) {
  const bool control = (static_cast<uint8_t>(message.opcode) & 0x8) != 0;
  Check(message.payload.size() <= (control ? kMaxControlPayload : kMaxMessage));
  if (message.opcode == WebSocketOpcode::kText) Check(labels::IsValidUtf8(message.payload));
  std::string frame;
  if (message.opcode == WebSocketOpcode::kClose) {
    Check(message.close_code == kCloseNoStatus || IsValidCloseCode(message.close_code));
    Check(labels::IsValidUtf8(message.payload));
    frame = EncodeCloseFrame(message.close_code, message.payload);
    if (!client) {
      std::string payload = frame.substr(2);
      frame.clear();
      AppendMaskedWebSocketFrame(WebSocketOpcode::kClose, payload, 0x5EED, &frame);
    }
  } else if (client) {
    AppendWebSocketFrame(message.opcode, message.payload, &frame);
  } else {
    AppendMaskedWebSocketFrame(message.opcode, message.payload, 0x5EED, &frame);
  }
  WebSocketFrameParser again(
      WebSocketParserLimits{.max_message_bytes = kMaxMessage, .require_mask = !client});
  std::vector<WebSocketMessage> out;
  Check(again.Feed(frame, &out) == frame.size());
  Check(out.size() == 1 && out[0].opcode == message.opcode && out[0].payload == message.payload &&
        out[0].close_code == message.close_code);
}

}  // namespace
}  // namespace silt::http

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using silt::http::WebSocketFrameParser;
  if (size == 0) return 0;
  const uint8_t mode = data[0] & 0x7F;
  const bool client = (data[0] & 0x80) != 0;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  WebSocketFrameParser parser(silt::http::WebSocketParserLimits{
      .max_message_bytes = silt::http::kMaxMessage, .require_mask = !client});
  uint32_t state = static_cast<uint32_t>(size);
  std::vector<silt::http::WebSocketMessage> messages;
  while (!rest.empty()) {
    const size_t n = std::min(rest.size(), silt::http::NextPieceSize(mode, &state, rest.size()));
    const size_t used = parser.Feed(rest.substr(0, n), &messages);
    silt::http::Check(used <= n);
    rest.remove_prefix(n);
    if (parser.failed()) {
      silt::http::Check(parser.error_code() != 0 && !parser.error().empty());
      const uint16_t code = parser.error_code();
      silt::http::Check(parser.Feed(rest, &messages) == 0 && parser.error_code() == code);
      break;
    }
    if (parser.closed()) {
      silt::http::Check(parser.Feed(rest, &messages) == 0);
      break;
    }
    silt::http::Check(used == n);
  }
  for (const silt::http::WebSocketMessage& message : messages) {
    silt::http::CheckMessage(message, client);
  }
  return 0;
}
