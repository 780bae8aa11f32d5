// WebSocketSession: the server side of one WebSocket after the handshake, as plain code driven
// by the connection (bytes in, bytes out, a clock in milliseconds), so it is unit-tested without
// sockets. It parses client frames, hands messages to on_message, answers pings with pongs,
// sends pings after ping_interval of silence and gives up after idle_timeout, runs the closing
// handshake (echoes the peer's close, or sends its own for a protocol error, WebSocket::Close or
// shutdown) and calls on_close exactly once.
//
// Loop thread only (thread-compatible).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/http/websocket_frame_parser.h"
#include "shared/http/websocket_options.h"

namespace silt::http {

class WebSocketSession {
 public:
  // `now_ms` is the time the handshake completed (any monotonic millisecond clock).
  WebSocketSession(WebSocketOptions options, uint64_t now_ms);

  // Client bytes: appends pongs (and a close frame, when the client closed or broke the
  // protocol) to *out. Returns true when the session is over: the connection writes *out and
  // closes. Messages reach on_message before this returns.
  bool OnInput(std::string_view data, uint64_t now_ms, std::string* out);
  // Closes from the server side (shutdown, WebSocket::Close): appends the close frame, unless
  // one was already sent, and reports `code` to on_close.
  void Close(uint16_t code, std::string_view reason, std::string* out);
  // The transport ended without a closing handshake (EOF, reset, write failure): reports 1006
  // to on_close unless it was already called.
  void Abort();

  // The loop time at which OnTimer has something to do.
  uint64_t NextTimerMs() const;
  // Appends a ping when one is due; returns true when the client stayed silent past
  // idle_timeout: a close frame (1001) is appended and the session is over.
  bool OnTimer(uint64_t now_ms, std::string* out);

  bool close_sent() const { return close_sent_; }
  bool finished() const { return finished_; }

 private:
  void Finish(uint16_t code, std::string_view reason);

  WebSocketOptions options_;
  WebSocketFrameParser parser_;
  uint64_t last_input_ms_;
  bool ping_outstanding_ = false;
  bool close_sent_ = false;
  bool finished_ = false;  // on_close was called
};

}  // namespace silt::http
