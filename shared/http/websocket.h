// WebSocket: the handle a route handler gets from Responder::AcceptWebSocket to talk to one
// client over RFC 6455 after the handshake. Send text from any thread; Close with a code and a
// reason. Messages from the client and the end of the connection arrive through the callbacks of
// WebSocketOptions (on the loop thread). Pings from the client are answered by the server, which
// also pings a silent client and closes it after idle_timeout; at server shutdown the client gets
// close 1001.
//
// Backpressure: frames wait in a send buffer of at most max_send_buffer_bytes for a slow client;
// beyond it Send refuses the message with ResourceExhausted, so the sender can count it as
// dropped and try again later. A message is always accepted when nothing is waiting.
//
// Lifetime: shared; it may outlive the connection and the server (calls then return
// Unavailable). Dropping every handle does not close the connection: call Close.
// Thread-safety: every method may be called from any thread at any time.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/status/status.h"

namespace silt::http {

class Exchange;

class WebSocket {
 public:
  // For the server: frames go through `exchange`, which the upgraded connection writes.
  explicit WebSocket(std::shared_ptr<Exchange> exchange);
  WebSocket(const WebSocket&) = delete;
  WebSocket& operator=(const WebSocket&) = delete;

  // Queues `text` as one text message. Unavailable once the socket is closed or closing;
  // ResourceExhausted, without sending, when the send buffer is full (a slow client).
  // Precondition: `text` is valid UTF-8 (RFC 6455 requires it of text frames).
  Status SendText(std::string_view text);
  // Starts the closing handshake with `code` (1000 normal, 1008 policy, 1011 internal error, or
  // 3000-4999) and `reason` (cut to 123 bytes). Later calls and sends do nothing.
  void Close(uint16_t code, std::string_view reason);

  // True once Close was called here or the connection ended.
  bool closed() const;
  // Encoded bytes queued but not yet written to the socket.
  size_t buffered_bytes() const;

 private:
  std::shared_ptr<Exchange> exchange_;
  std::atomic<bool> close_requested_{false};
};

}  // namespace silt::http
