// Responder: the handle a handler uses to answer its request, now or later, from any thread
// (queries run on a worker pool). Move-only. Answer once, either whole:
//
//   responder.Respond(Response::Json(200, body));
//
// or streamed in chunks (chunked transfer encoding; close-delimited for HTTP/1.0 clients):
//
//   responder.StartStream(head);  while (...) responder.Write(chunk);  responder.Finish();
//
// Every call is marshalled to the server's loop thread. A Responder destroyed without answering
// makes the server answer 500 (or cut a stream short) and log an error, so a forgotten answer
// never hangs a client. After the client disconnects, calls do nothing and Cancelled() turns true,
// so long-running work can stop early.
//
// Thread-safety: one thread at a time may use a Responder (it may be moved between threads).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "shared/http/request.h"
#include "shared/http/response.h"
#include "shared/http/websocket.h"
#include "shared/http/websocket_options.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::http {

class Exchange;

class Responder {
 public:
  // A responder that answers nothing (for tests and moved-from objects).
  Responder() = default;
  // For the server: answers through `exchange`.
  explicit Responder(std::shared_ptr<Exchange> exchange);
  Responder(Responder&& other) noexcept;
  // Drops this responder's own unanswered request (see the file comment) and takes `other`'s.
  Responder& operator=(Responder&& other) noexcept;
  ~Responder();

  // Sends `response` as the whole answer. Precondition: nothing was sent yet.
  void Respond(Response response);

  // Sends the status and headers of a streamed answer; `head.body`, if not empty, is its first
  // chunk. Precondition: nothing was sent yet. Returns Unavailable when the client is gone.
  Status StartStream(Response head);
  // Sends the next chunk (an empty one sends nothing). Precondition: StartStream was called and
  // Finish was not. Returns Unavailable when the client is gone, and ResourceExhausted, without
  // sending, when the stream already holds more unsent bytes than the server's
  // max_stream_buffer_bytes (a slow client): retry later or give up.
  Status Write(std::string chunk);
  // Ends the streamed answer. Precondition: StartStream was called.
  void Finish();

  // Takes the connection over as a WebSocket (websocket.h) when `request`, this responder's
  // request, is a valid opening handshake: the server writes "101 Switching Protocols" and from
  // then on speaks RFC 6455 with `options`; no further HTTP request is read on the connection.
  // Returns the handle. When the handshake is bad, answers the request itself (400, or 426 for
  // a version other than 13; websocket_handshake.h) and returns InvalidArgument with the reason.
  // Precondition: nothing was sent yet. Validate the request's own parameters first, so that a
  // bad one is answered as plain HTTP.
  Result<std::shared_ptr<WebSocket>> AcceptWebSocket(const Request& request,
                                                     WebSocketOptions options);

  // True once the client has disconnected or stopped reading (its connection closed or
  // half-closed); the work behind this answer can be abandoned.
  bool Cancelled() const;
  // Streamed bytes posted but not yet written to the client's socket.
  size_t BufferedBytes() const;
  // True until the answer is complete (Respond or Finish) or the responder is moved from.
  bool pending() const { return exchange_ != nullptr && state_ != State::kDone; }

 private:
  enum class State { kIdle, kStreaming, kDone };

  void Drop();

  std::shared_ptr<Exchange> exchange_;
  State state_ = State::kIdle;
};

}  // namespace silt::http
