// Connection: one accepted TCP connection of an HttpServer, as a state machine on the loop
// thread. It reads into the server's shared buffer, feeds a RequestParser, dispatches one request
// at a time through the Router (pipelined requests wait, as bytes, in a bounded buffer), writes
// answers in order, and enforces the timeouts with one uv_timer_t.
//
//   open -> (answer with Connection: close, error, shutdown, EOF) -> draining: last bytes written
//        -> lingering: FIN sent, input discarded until EOF or 2s -> closing -> freed
//
// Memory per connection is bounded: the request being parsed (headers and body limits), at most
// kMaxPendingInput bytes of pipelined input, and output up to kWriteHighWater before parsing
// pauses (plus a handler's streamed bytes, capped by max_stream_buffer_bytes).
//
// A handler that accepts a WebSocket (Responder::AcceptWebSocket) turns the connection, after
// the 101 head, into a WebSocketSession: no more HTTP parsing or HTTP timeouts; the timer then
// serves the session's pings and idle limit (and write_timeout); the end of the session drains
// and lingers like an HTTP close.
//
// Lifetime: heap-allocated by the server; frees itself in the close callback of its last handle
// after telling the server (unless detached). Loop thread only.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "shared/http/exchange.h"
#include "shared/http/request_parser.h"
#include "shared/http/response.h"
#include "shared/http/response_encoder.h"
#include "shared/http/server_context.h"
#include "shared/http/websocket_session.h"

namespace silt::http {

class Connection {
 public:
  // Pipelined input buffered while a request is being answered; beyond it reading pauses.
  static constexpr size_t kMaxPendingInput = 128 * 1024;
  // Output queued in the socket beyond which no further pipelined request is started.
  static constexpr size_t kWriteHighWater = 1024 * 1024;
  // How long a closing connection waits for the client's FIN after sending its own.
  static constexpr uint64_t kLingerMillis = 2000;

  // Initialises the handles; `context` must outlive the connection or Detach() it first.
  explicit Connection(ServerContext* context);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Accepts the pending connection on `listener` and starts reading. With `reject`, answers 503
  // at once and closes (the server is over max_connections). On failure the connection closes
  // itself (the server hears about it through on_closed).
  void Start(uv_stream_t* listener, bool reject);

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
  enum class State { kOpen, kDraining, kLingering, kClosing };
  enum class Framing { kWhole, kChunked, kUntilClose, kNone, kWebSocket };
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
    Framing framing = Framing::kWhole;
  };
  struct WriteReq;

  static void OnAlloc(uv_handle_t* handle, size_t suggested, uv_buf_t* buf);
  static void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf);
  static void OnWrite(uv_write_t* req, int status);
  static void OnShutdown(uv_shutdown_t* req, int status);
  static void OnTimer(uv_timer_t* timer);
  static void OnClose(uv_handle_t* handle);

  void HandleRead(std::string_view data);
  void HandleEof();
  // Parses and dispatches as long as a request can start; `fresh` is newly read input.
  void Pump(std::string_view fresh);
  // Feeds the next input (buffered bytes first, then `fresh`) to the parser and acts on what it
  // produced. Returns false when there was no input left to feed.
  bool ParseNext(std::string_view* fresh);
  void Dispatch(ParsedRequest parsed);
  static Response UnroutedAnswer(const Request& request, const RouteMatch& match);
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
  // Sends the handler's close frame `frame` and ends the session.
  void CloseWebSocket(std::string_view frame);
  // Writes `out` (the session's last frames) and drains: the session is over.
  void FinishWebSocket(std::string out);
  // Records the upgraded request as answered (101) and cuts the handler's handle off.
  void EndWebSocket();
  void WebSocketTimeout();
  void WriteWhole(Response response);
  void WriteStreamHead(Response head);
  void WriteStreamChunk(std::string data, size_t streamed);
  void EndStream();
  // The answer is complete: count it and move on to the next request or close.
  void AnswerDone();
  bool WillClose() const;
  // Queues bytes on the socket: `head`, `body`, then CRLF when `chunk_end`. `streamed` bytes
  // are released from the current exchange's buffer once written.
  void Write(std::string head, std::string body = {}, bool chunk_end = false, size_t streamed = 0);
  void AfterWrite();
  void BeginDrain();
  void StartLinger();
  void UpdateReading();
  void UpdateTimer();
  void HandleTimeout();

  ServerContext* context_;
  uv_tcp_t tcp_;
  uv_timer_t timer_;
  uv_shutdown_t shutdown_req_;
  int open_handles_ = 0;
  State state_ = State::kOpen;
  RequestParser parser_;
  std::string pending_;  // input not yet parsed, from pending_offset_
  size_t pending_offset_ = 0;
  bool reading_ = false;
  bool pumping_ = false;
  bool peer_eof_ = false;
  bool close_after_answer_ = false;
  bool waiting_ = false;  // a request is dispatched and not yet fully answered
  Active active_;
  std::shared_ptr<Exchange> exchange_;
  std::unique_ptr<WebSocketSession> websocket_;  // set once the connection is upgraded
  size_t writes_pending_ = 0;
  uint64_t requests_served_ = 0;
  std::string remote_address_;
  uint64_t request_started_ms_ = 0;  // loop time of the current request's first byte
  uint64_t last_read_ms_ = 0;
  uint64_t last_write_ms_ = 0;
  uint64_t idle_since_ms_ = 0;
};

}  // namespace silt::http
