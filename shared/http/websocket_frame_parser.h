// WebSocketFrameParser: bytes received on a WebSocket connection to whole messages (RFC 6455
// section 5). It unmasks client frames (an unmasked one is a protocol error), joins fragmented
// data messages, passes control frames (ping, pong, close) through as they arrive, even between
// fragments, checks text messages and close reasons for UTF-8, and refuses a frame whose declared
// length would push the message past `max_message_bytes` as soon as its header is read, before
// buffering its payload. No sockets: unit-tested and fuzzed (tests/fuzz/shared).
//
// After a failure the parser stays failed and consumes nothing more; error_code() is the close
// code to send (1002 protocol error, 1007 invalid UTF-8, 1009 too big). After a close frame it
// ignores further input (RFC 6455 section 5.5.1).
//
// Thread-compatible: one connection's parser, used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/http/websocket_frame.h"

namespace silt::http {

struct WebSocketMessage {
  // kText or kBinary (a whole, reassembled message), kPing, kPong or kClose.
  WebSocketOpcode opcode = WebSocketOpcode::kText;
  // The unmasked payload; for kClose the reason only.
  std::string payload;
  // For kClose: the peer's code, or kCloseNoStatus when its close frame had no payload.
  uint16_t close_code = kCloseNoStatus;
};

struct WebSocketParserLimits {
  // Most bytes of one data message, all its fragments together.
  size_t max_message_bytes = 1024 * 1024;
  // Client frames must be masked (a server's parser); false to read server frames (clients).
  bool require_mask = true;
};

class WebSocketFrameParser {
 public:
  explicit WebSocketFrameParser(WebSocketParserLimits limits = {});

  // Consumes `data`, appending each completed message to *out in arrival order. Returns the
  // bytes consumed: all of them, unless the parser failed or saw a close frame (the rest is
  // ignored). Incomplete frames are buffered (within the limits) until more bytes arrive.
  size_t Feed(std::string_view data, std::vector<WebSocketMessage>* out);

  bool failed() const { return error_code_ != 0; }
  // The close code to send for the failure; 0 when not failed.
  uint16_t error_code() const { return error_code_; }
  // Why the input was refused, naming the frame's problem; empty when not failed.
  const std::string& error() const { return error_; }
  // True once a close frame was parsed.
  bool closed() const { return closed_; }
  // Bytes held for an incomplete frame or message.
  size_t buffered_bytes() const { return buffer_.size() - offset_ + fragments_.size(); }

 private:
  // Parses one frame from buffer_ at offset_; false when it is incomplete or invalid.
  bool ParseFrame(std::vector<WebSocketMessage>* out);
  bool HandleControl(WebSocketOpcode opcode, std::string payload,
                     std::vector<WebSocketMessage>* out);
  bool HandleData(WebSocketOpcode opcode, bool fin, std::string payload,
                  std::vector<WebSocketMessage>* out);
  bool Fail(uint16_t code, std::string reason);

  WebSocketParserLimits limits_;
  std::string buffer_;  // received bytes not yet parsed, from offset_
  size_t offset_ = 0;
  bool in_message_ = false;  // a fragmented data message is in progress
  WebSocketOpcode message_opcode_ = WebSocketOpcode::kText;
  std::string fragments_;
  uint16_t error_code_ = 0;
  std::string error_;
  bool closed_ = false;
};

}  // namespace silt::http
