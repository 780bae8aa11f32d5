// Connection: one client connection of an HttpServer, as a state machine on the loop thread,
// over a net::ByteStream (plain TCP or TLS alike: the listener hands the stream over once a TLS
// handshake is done). Bytes the stream delivers feed a RequestReader; one request at a time is
// dispatched through the Router (pipelined requests wait, as bytes, in a bounded buffer); a
// ResponseWriter writes the answers in order; one uv_timer_t enforces the timeouts.
//
//   open -> (answer with Connection: close, error, shutdown, client EOF) -> ending: the stream
//        flushes, sends FIN (TLS close_notify first), discards input until the client's FIN or
//        2 s -> closed -> freed
//
// Memory per connection is bounded: the request being parsed (headers and body limits), at most
// kMaxPendingInput bytes of pipelined input, and output up to kWriteHighWater before parsing
// pauses (plus a handler's streamed bytes, capped by max_stream_buffer_bytes).
//
// A handler that accepts a WebSocket (Responder::AcceptWebSocket) turns the connection, after
// the 101 head, into a WebSocketLink: no more HTTP parsing or HTTP timeouts; the timer then
// serves the session's pings and idle limit (and write_timeout); the end of the session ends the
// stream like an HTTP close.
//
// Lifetime: heap-allocated by the server; frees itself (and its stream) once the stream has
// reported OnClosed and the timer handle is closed, after telling the server (unless detached).
// Loop thread only.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/http/connection_deadline.h"
#include "shared/http/exchange.h"
#include "shared/http/request_reader.h"
#include "shared/http/response.h"
#include "shared/http/response_writer.h"
#include "shared/http/server_context.h"
#include "shared/http/websocket_link.h"
#include "shared/net/byte_stream.h"

namespace silt::http {

class Connection final : private net::StreamHandler {
 public:
  // Pipelined input buffered while a request is being answered; beyond it reading pauses.
  static constexpr size_t kMaxPendingInput = 128 * 1024;
  // Output queued on the stream beyond which no further pipelined request is started.
  static constexpr size_t kWriteHighWater = 1024 * 1024;

  // Takes `stream` (established: plain, or TLS after its handshake). `context` must outlive the
  // connection or Detach() it first.
  Connection(ServerContext* context, std::unique_ptr<net::ByteStream> stream);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading. With `reject`, answers 503 at once and closes (the server is over
  // max_connections).
  void Start(bool reject);
  // Server shutdown: idle connections close now; a request in flight is answered (with
  // "Connection: close") and then the connection closes.
  void OnServerShutdown();
  // Closes at once; a pending handler's responder becomes a no-op.
  void Close();
  // The server is going away: forget it, then Close().
  void Detach();

  // Writes whatever `exchange` has queued, if it is this connection's current exchange.
  void ProcessExchange(Exchange& exchange);

 private:
  enum class State { kOpen, kEnding, kClosing };
  // The request being answered.
  struct Active {
    std::string method;
    std::string route;
    bool head = false;
    bool keep_alive = true;
    int http_minor = 1;
    int64_t start_nanos = 0;
    bool head_sent = false;
    int status = 0;
  };
  // The timer handle; freed by its close callback, which also frees the connection.
  struct Timer {
    uv_timer_t handle;
    Connection* owner;
  };

  // net::StreamHandler.
  void OnData(std::string_view bytes) override;
  bool OnPeerEnded() override;
  void OnDrained() override;
  void OnClosed(const Status& why) override;
  static void OnTimer(uv_timer_t* timer);
  static void OnTimerClosed(uv_handle_t* handle);

  // Parses and dispatches as long as a request can start; `fresh` is newly read input.
  void Pump(std::string_view fresh);
  // Feeds the next input to the parser and acts on what it produced. Returns false when there
  // was no input left to feed.
  bool ParseNext(std::string_view* fresh);
  void Dispatch(ParsedRequest parsed);
  // Answers a request refused before or instead of dispatch, and closes afterwards.
  void Refuse(Response response, std::string_view route);
  void BeginAnswer(const Request& request, bool keep_alive, std::string_view route);
  void ApplyOp(Exchange::Op op);
  void AnswerDropped();
  // The handler accepted a WebSocket: writes the 101 head and starts the session.
  void StartWebSocket(Exchange::Op op);
  // Hands input received after the handshake to the session.
  void FeedPendingToWebSocket();
  void WebSocketInput(std::string_view data);
  // The session is over (its last frames are written): ends the stream.
  void FinishWebSocket();
  // Records the upgraded request as answered (101) and cuts the handler's handle off.
  void EndWebSocket();
  void WebSocketTimeout();
  AnswerShape Shape() const;
  void WriteWhole(Response response);
  void WriteStreamHead(Response head);
  // The answer is complete: count it and move on to the next request or close.
  void AnswerDone();
  // Counts the request being answered with `status` (when metrics are on).
  void RecordAnswer(int status);
  bool WillClose() const;
  // Writes are queued; the client has not taken them all yet.
  bool WritesPending() const { return writer_.queued_bytes() > 0; }
  // Ends the connection in order: flush, FIN, linger (the stream does it), then closed.
  void BeginEnding();
  void UpdateReading();
  // The state the timeouts depend on; starts the write clock when the queue just began.
  ConnectionTimes Times();
  void UpdateTimer();
  uint64_t Now() const { return uv_now(loop_); }
  void HandleTimeout();

  ServerContext* context_;
  uv_loop_t* loop_;
  std::unique_ptr<net::ByteStream> stream_;
  Timer* timer_;
  std::string remote_address_;
  State state_ = State::kOpen;
  RequestReader reader_;
  ResponseWriter writer_;
  bool reading_ = true;
  bool pumping_ = false;
  bool peer_eof_ = false;
  bool close_after_answer_ = false;
  bool waiting_ = false;  // a request is dispatched and not yet fully answered
  Active active_;
  std::shared_ptr<Exchange> exchange_;
  std::unique_ptr<WebSocketLink> websocket_;  // set once the connection is upgraded
  uint64_t requests_served_ = 0;
  uint64_t request_started_ms_ = 0;  // loop time of the current request's first byte
  uint64_t last_read_ms_ = 0;
  uint64_t last_write_ms_ = 0;        // when the client last took bytes (or the queue began)
  uint64_t accepted_at_check_ = 0;    // writer_.accepted_bytes() then
  bool write_clock_running_ = false;  // last_write_ms_ counts for the bytes queued now
  uint64_t idle_since_ms_ = 0;
};

}  // namespace silt::http
