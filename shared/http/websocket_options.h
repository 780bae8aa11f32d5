// WebSocketOptions: what a route handler chooses when it accepts a WebSocket
// (Responder::AcceptWebSocket): limits, liveness rules and the callbacks for what the client
// sends. A value type; the callbacks run on the server's loop thread and must not block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "shared/http/websocket_frame_parser.h"
#include "shared/time/duration.h"

namespace silt::http {

struct WebSocketOptions {
  // Most bytes of one message from the client; larger ones close the socket with 1009.
  size_t max_message_bytes = 64 * 1024;
  // Most encoded bytes WebSocket::Send may have waiting for a slow client; beyond it Send
  // returns ResourceExhausted (the caller counts what it dropped).
  size_t max_send_buffer_bytes = 4 * 1024 * 1024;
  // After this long without a byte from the client the server sends a ping.
  int64_t ping_interval = 30 * time::kSecond;
  // After this long without a byte from the client (a pong counts) the server closes with 1001.
  // Must be longer than ping_interval.
  int64_t idle_timeout = 90 * time::kSecond;

  // A text or binary message from the client (pings are answered by the server itself).
  std::function<void(const WebSocketMessage& message)> on_message;
  // Runs once when the WebSocket ends: `code` is the close code the peer sent, the one the
  // server sent (1001 at shutdown, the code given to WebSocket::Close, 1002/1007/1009 for bad
  // frames), or 1006 when the TCP connection ended without a close frame.
  std::function<void(uint16_t code, std::string_view reason)> on_close;
};

}  // namespace silt::http
