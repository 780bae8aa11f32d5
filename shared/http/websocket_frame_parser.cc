#include "shared/http/websocket_frame_parser.h"

#include <utility>

#include "shared/labels/utf8.h"

namespace silt::http {
namespace {

bool IsControl(WebSocketOpcode opcode) { return (static_cast<uint8_t>(opcode) & 0x8) != 0; }

bool IsKnownOpcode(uint8_t opcode) { return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA); }

}  // namespace

WebSocketFrameParser::WebSocketFrameParser(WebSocketParserLimits limits) : limits_(limits) {}

size_t WebSocketFrameParser::Feed(std::string_view data, std::vector<WebSocketMessage>* out) {
  if (failed() || closed_) return 0;
  if (offset_ > 0) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  const size_t before = buffer_.size();
  buffer_.append(data);
  while (!failed() && !closed_ && ParseFrame(out)) {
  }
  if (failed() || closed_) {
    // Bytes of `data` past the frame that failed or closed are not consumed.
    const size_t consumed = offset_ > before ? offset_ - before : 0;
    buffer_.clear();
    offset_ = 0;
    return consumed;
  }
  return data.size();
}

bool WebSocketFrameParser::ParseFrame(std::vector<WebSocketMessage>* out) {
  const std::string_view input = std::string_view(buffer_).substr(offset_);
  if (input.size() < 2) return false;
  const auto b0 = static_cast<uint8_t>(input[0]);
  const auto b1 = static_cast<uint8_t>(input[1]);
  if ((b0 & 0x70) != 0) return Fail(kCloseProtocolError, "reserved bits set (no extension)");
  if (!IsKnownOpcode(b0 & 0x0F)) {
    return Fail(kCloseProtocolError, "unknown opcode " + std::to_string(b0 & 0x0F));
  }
  const auto opcode = static_cast<WebSocketOpcode>(b0 & 0x0F);
  const bool fin = (b0 & 0x80) != 0;
  const bool masked = (b1 & 0x80) != 0;
  if (masked != limits_.require_mask) {
    return Fail(kCloseProtocolError,
                masked ? "masked frame from the server" : "unmasked frame from the client");
  }
  size_t header = 2;
  uint64_t length = b1 & 0x7F;
  if (length == 126 || length == 127) {
    const size_t width = length == 126 ? 2 : 8;
    if (input.size() < header + width) return false;
    length = 0;
    for (size_t i = 0; i < width; ++i) length = (length << 8) | static_cast<uint8_t>(input[2 + i]);
    header += width;
    if (width == 8 && (length >> 63) != 0) {
      return Fail(kCloseProtocolError, "64-bit frame length with its top bit set");
    }
  }
  if (IsControl(opcode) && (!fin || length > kMaxControlPayload)) {
    return Fail(kCloseProtocolError, "control frame fragmented or longer than 125 bytes");
  }
  const size_t so_far = IsControl(opcode) ? 0 : fragments_.size();
  if (length > limits_.max_message_bytes - so_far) {
    return Fail(kCloseMessageTooBig,
                "message of more than " + std::to_string(limits_.max_message_bytes) + " bytes");
  }
  const size_t mask_at = header;
  if (masked) header += 4;
  if (input.size() < header + length) return false;
  std::string payload(input.substr(header, static_cast<size_t>(length)));
  if (masked) {
    for (size_t i = 0; i < payload.size(); ++i) payload[i] ^= input[mask_at + (i & 3)];
  }
  offset_ += header + static_cast<size_t>(length);
  if (IsControl(opcode)) return HandleControl(opcode, std::move(payload), out);
  return HandleData(opcode, fin, std::move(payload), out);
}

bool WebSocketFrameParser::HandleControl(WebSocketOpcode opcode, std::string payload,
                                         std::vector<WebSocketMessage>* out) {
  WebSocketMessage message{opcode, std::move(payload), kCloseNoStatus};
  if (opcode == WebSocketOpcode::kClose) {
    if (message.payload.size() == 1) return Fail(kCloseProtocolError, "close payload of 1 byte");
    if (message.payload.size() >= 2) {
      message.close_code = static_cast<uint16_t>((static_cast<uint8_t>(message.payload[0]) << 8) |
                                                 static_cast<uint8_t>(message.payload[1]));
      if (!IsValidCloseCode(message.close_code)) {
        return Fail(kCloseProtocolError,
                    "invalid close code " + std::to_string(message.close_code));
      }
      message.payload.erase(0, 2);
      if (!labels::IsValidUtf8(message.payload)) {
        return Fail(kCloseInvalidPayload, "close reason is not valid UTF-8");
      }
    }
    closed_ = true;
  }
  out->push_back(std::move(message));
  return true;
}

bool WebSocketFrameParser::HandleData(WebSocketOpcode opcode, bool fin, std::string payload,
                                      std::vector<WebSocketMessage>* out) {
  if (opcode == WebSocketOpcode::kContinuation) {
    if (!in_message_) return Fail(kCloseProtocolError, "continuation frame without a message");
    fragments_ += payload;
  } else {
    if (in_message_) {
      return Fail(kCloseProtocolError, "new data frame inside a fragmented message");
    }
    message_opcode_ = opcode;
    fragments_ = std::move(payload);
    in_message_ = true;
  }
  if (!fin) return true;
  in_message_ = false;
  if (message_opcode_ == WebSocketOpcode::kText && !labels::IsValidUtf8(fragments_)) {
    return Fail(kCloseInvalidPayload, "text message is not valid UTF-8");
  }
  out->push_back(WebSocketMessage{message_opcode_, std::exchange(fragments_, {}), kCloseNoStatus});
  return true;
}

bool WebSocketFrameParser::Fail(uint16_t code, std::string reason) {
  error_code_ = code;
  error_ = std::move(reason);
  fragments_.clear();
  return false;
}

}  // namespace silt::http
