#include "shared/http/connection.h"

#include <netinet/in.h>

#include <algorithm>
#include <cassert>
#include <exception>
#include <utility>

#include "shared/http/responder.h"
#include "shared/http/websocket_handshake.h"

namespace silt::http {
namespace {

uint64_t ToMillis(int64_t nanos) { return static_cast<uint64_t>((nanos + 999'999) / 1'000'000); }

std::string PeerName(const uv_tcp_t* tcp) {
  sockaddr_storage addr{};
  int len = sizeof(addr);
  if (uv_tcp_getpeername(tcp, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return {};
  char ip[64] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&addr);
    uv_ip4_name(a, ip, sizeof(ip));
    std::string name(ip);
    name += ':';
    name += std::to_string(ntohs(a->sin_port));
    return name;
  }
  if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&addr);
    uv_ip6_name(a, ip, sizeof(ip));
    // Built by appending: GCC 12 at -O3 misreports `"[" + std::string(...)` (-Wrestrict).
    std::string name;
    name.reserve(sizeof(ip) + 8);
    name += '[';
    name += ip;
    name += "]:";
    name += std::to_string(ntohs(a->sin6_port));
    return name;
  }
  return {};
}

}  // namespace

struct Connection::WriteReq {
  uv_write_t req;
  Connection* connection;
  std::string head;
  std::string body;
  std::shared_ptr<Exchange> exchange;  // set when `streamed` bytes count against its buffer
  size_t streamed;
};

Connection::Connection(ServerContext* context) : context_(context), parser_(context->limits) {
  [[maybe_unused]] int rc = uv_tcp_init(context->loop, &tcp_);
  assert(rc == 0);
  rc = uv_timer_init(context->loop, &timer_);
  assert(rc == 0);
  tcp_.data = this;
  timer_.data = this;
  open_handles_ = 2;
}

void Connection::Start(uv_stream_t* listener, bool reject) {
  if (uv_accept(listener, reinterpret_cast<uv_stream_t*>(&tcp_)) != 0) {
    Close();
    return;
  }
  uv_tcp_nodelay(&tcp_, 1);
  remote_address_ = PeerName(&tcp_);
  const uint64_t now = uv_now(context_->loop);
  last_read_ms_ = idle_since_ms_ = last_write_ms_ = now;
  if (reject) {
    Response response = Response::Error(503, "the server is at its limit of " +
                                                 std::to_string(context_->options.max_connections) +
                                                 " connections; retry later");
    response.headers.Add("Retry-After", "1");
    Refuse(std::move(response), "");
    return;
  }
  UpdateReading();
  UpdateTimer();
}

void Connection::OnServerShutdown() {
  if (state_ != State::kOpen) return;
  if (websocket_ != nullptr) {
    std::string out;
    websocket_->Close(kCloseGoingAway, "server shutting down", &out);
    FinishWebSocket(std::move(out));
    return;
  }
  if (waiting_ || parser_.phase() == RequestParser::Phase::kBody) {
    close_after_answer_ = true;  // in flight: answer it, then close
    return;
  }
  if (writes_pending_ > 0) {
    BeginDrain();
  } else {
    Close();
  }
}

void Connection::Close() {
  if (state_ == State::kClosing) return;
  state_ = State::kClosing;
  if (websocket_ != nullptr) {
    websocket_->Abort();
    EndWebSocket();
  }
  if (exchange_ != nullptr) {
    exchange_->Cancel();
    exchange_.reset();
    if (context_ != nullptr && context_->metrics != nullptr) {
      context_->metrics->RequestEnded();
      const double seconds =
          static_cast<double>(context_->clock->MonotonicNanos() - active_.start_nanos) / 1e9;
      context_->metrics->RecordResponse(active_.method, active_.route, 499, seconds);
    }
  }
  reading_ = false;
  uv_timer_stop(&timer_);
  uv_close(reinterpret_cast<uv_handle_t*>(&tcp_), &Connection::OnClose);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_), &Connection::OnClose);
}

void Connection::Detach() {
  Close();
  context_ = nullptr;
}

void Connection::OnClose(uv_handle_t* handle) {
  auto* self = static_cast<Connection*>(handle->data);
  if (--self->open_handles_ > 0) return;
  if (self->context_ != nullptr && self->context_->on_closed) self->context_->on_closed(self);
  delete self;
}

void Connection::OnAlloc(uv_handle_t* handle, size_t /*suggested*/, uv_buf_t* buf) {
  auto* self = static_cast<Connection*>(handle->data);
  if (self->context_ == nullptr) {
    *buf = uv_buf_init(nullptr, 0);  // libuv reports UV_ENOBUFS to OnRead
    return;
  }
  std::vector<char>& buffer = self->context_->read_buffer;
  *buf = uv_buf_init(buffer.data(), static_cast<unsigned int>(buffer.size()));
}

void Connection::OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* self = static_cast<Connection*>(stream->data);
  if (nread > 0) {
    self->HandleRead(std::string_view(buf->base, static_cast<size_t>(nread)));
  } else if (nread == UV_EOF) {
    self->HandleEof();
  } else if (nread < 0) {
    self->Close();  // reset by the peer, or another socket error
  }
}

void Connection::HandleRead(std::string_view data) {
  last_read_ms_ = uv_now(context_->loop);
  if (state_ != State::kOpen) return;  // draining or lingering: input is discarded
  if (websocket_ != nullptr) {
    WebSocketInput(data);
    return;
  }
  Pump(data);
}

void Connection::HandleEof() {
  peer_eof_ = true;
  switch (state_) {
    case State::kClosing:
      return;
    case State::kLingering:
      Close();
      return;
    case State::kDraining:
      UpdateReading();
      return;
    case State::kOpen:
      if (websocket_ != nullptr) {
        Close();  // the client left without a closing handshake: on_close hears 1006
        return;
      }
      if (waiting_) {
        // Half-closed: the answer is still written, but the handler may stop early.
        if (exchange_ != nullptr) exchange_->MarkClientGone();
        UpdateReading();
        return;
      }
      Pump({});  // pipelined requests already received are still answered
      return;
  }
}

void Connection::Pump(std::string_view fresh) {
  if (pumping_) {
    assert(fresh.empty());
    return;
  }
  pumping_ = true;
  bool input_exhausted = false;
  while (state_ == State::kOpen && !waiting_) {
    if (uv_stream_get_write_queue_size(reinterpret_cast<uv_stream_t*>(&tcp_)) >= kWriteHighWater) {
      break;  // AfterWrite resumes once the client reads
    }
    if (!ParseNext(&fresh)) {
      input_exhausted = true;
      break;
    }
  }
  if (!fresh.empty() && state_ == State::kOpen) {
    if (pending_offset_ > 0) {
      pending_.erase(0, pending_offset_);
      pending_offset_ = 0;
    }
    pending_.append(fresh);
  }
  pumping_ = false;
  if (websocket_ != nullptr) {
    FeedPendingToWebSocket();  // frames that came in the same read as the handshake
    return;
  }
  if (state_ == State::kOpen && peer_eof_ && !waiting_ && input_exhausted) BeginDrain();
  UpdateReading();
  UpdateTimer();
}

bool Connection::ParseNext(std::string_view* fresh) {
  const bool from_pending = pending_offset_ < pending_.size();
  const std::string_view input =
      from_pending ? std::string_view(pending_).substr(pending_offset_) : *fresh;
  if (input.empty()) return false;
  const RequestParser::Phase before = parser_.phase();
  const size_t used = parser_.Feed(input);
  if (!from_pending) {
    fresh->remove_prefix(used);
  } else if ((pending_offset_ += used) == pending_.size()) {
    pending_.clear();
    pending_offset_ = 0;
  }
  const RequestParser::Phase phase = parser_.phase();
  if (before == RequestParser::Phase::kIdle && phase != RequestParser::Phase::kIdle) {
    request_started_ms_ = uv_now(context_->loop);
  }
  if (parser_.TakeContinueRequest()) Write(std::string(kContinueResponse));
  if (phase == RequestParser::Phase::kFailed) {
    const HttpError& error = parser_.error();
    Refuse(Response::Error(error.status, error.reason), kRouteMalformed);
  } else if (phase == RequestParser::Phase::kComplete) {
    Dispatch(parser_.TakeRequest());
  } else if (used == 0) {
    Refuse(Response::Error(400, "malformed request"), kRouteMalformed);  // no progress
  }
  return true;
}

void Connection::Dispatch(ParsedRequest parsed) {
  Request& request = parsed.request;
  request.remote_address = remote_address_;
  const bool keep_alive = parsed.keep_alive && !(parsed.upgrade && request.method == "CONNECT");
  RouteMatch match = context_->router.Find(request.method, request.raw_path);
  if (match.outcome != RouteMatch::Outcome::kFound) {
    BeginAnswer(request, keep_alive, kRouteUnmatched);
    WriteWhole(UnroutedAnswer(request, match));
    AnswerDone();
    return;
  }
  BeginAnswer(request, keep_alive, match.pattern);
  request.route = std::string(match.pattern);
  request.path_params = std::move(match.params);
  auto exchange =
      std::make_shared<Exchange>(context_->completions, context_->options.max_stream_buffer_bytes);
  exchange->set_connection(this);
  exchange_ = exchange;
  if (context_->metrics != nullptr) context_->metrics->RequestStarted();
  exchange->set_dispatching(true);
  try {
    (*match.handler)(std::move(request), Responder(exchange));
  } catch (const std::exception& e) {
    context_->logger->Error(context_->log_component, "handler threw an exception",
                            {{"route", active_.route}, {"error", e.what()}});
  } catch (...) {
    context_->logger->Error(context_->log_component, "handler threw an unknown exception",
                            {{"route", active_.route}});
  }
  exchange->set_dispatching(false);
  // Whatever the handler answered synchronously is written now rather than a loop turn later.
  if (exchange_ == exchange) ProcessExchange(*exchange);
}

Response Connection::UnroutedAnswer(const Request& request, const RouteMatch& match) {
  switch (match.outcome) {
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response response = Response::Error(405, "method " + request.method + " is not allowed for " +
                                                   request.path + "; allowed: " + match.allow);
      response.headers.Add("Allow", match.allow);
      return response;
    }
    case RouteMatch::Outcome::kBadPath:
      return Response::Error(400, "bad request path: " + match.error);
    case RouteMatch::Outcome::kNotFound:
    case RouteMatch::Outcome::kFound:
      break;
  }
  return Response::Error(404, "no route for " + request.method + " " + request.path);
}

void Connection::BeginAnswer(const Request& request, bool keep_alive, std::string_view route) {
  waiting_ = true;
  active_ = Active{};
  active_.method = request.method;
  active_.route = std::string(route);
  active_.head = request.method == "HEAD";
  active_.keep_alive = keep_alive;
  active_.http_minor = request.http_minor;
  active_.start_nanos = context_->clock->MonotonicNanos();
}

void Connection::Refuse(Response response, std::string_view route) {
  assert(!waiting_);
  waiting_ = true;
  // One aggregate: assigning "-" to the reset member trips GCC 12's -Wrestrict at -O3.
  active_ = Active{.method = std::string(1, '-'),
                   .route = std::string(route),
                   .keep_alive = false,
                   .start_nanos = context_->clock->MonotonicNanos()};
  close_after_answer_ = true;
  std::string_view reason = response.body;
  if (!reason.empty() && reason.back() == '\n') reason.remove_suffix(1);
  context_->logger->Debug(
      context_->log_component, "refused request",
      {{"status", response.status}, {"reason", reason}, {"remote", remote_address_}});
  WriteWhole(std::move(response));
  AnswerDone();
}

void Connection::ProcessExchange(Exchange& exchange) {
  if (state_ == State::kClosing || exchange_.get() != &exchange) return;
  std::vector<Exchange::Op> ops = exchange.TakeOps();
  for (Exchange::Op& op : ops) {
    if (state_ == State::kClosing || exchange_.get() != &exchange) break;
    ApplyOp(std::move(op));
  }
}

void Connection::ApplyOp(Exchange::Op op) {
  switch (op.kind) {
    case Exchange::OpKind::kRespond:
      WriteWhole(std::move(op.response));
      AnswerDone();
      return;
    case Exchange::OpKind::kStartStream:
      WriteStreamHead(std::move(op.response));
      return;
    case Exchange::OpKind::kChunk: {
      const size_t size = op.data.size();
      WriteStreamChunk(std::move(op.data), size);
      return;
    }
    case Exchange::OpKind::kFinish:
      EndStream();
      AnswerDone();
      return;
    case Exchange::OpKind::kDropped:
      AnswerDropped();
      return;
    case Exchange::OpKind::kUpgrade:
      StartWebSocket(std::move(op));
      return;
    case Exchange::OpKind::kWebSocketClose:
      CloseWebSocket(op.data);
      return;
  }
}

void Connection::StartWebSocket(Exchange::Op op) {
  const std::string key(op.response.headers.Get("Sec-WebSocket-Key").value_or(""));
  active_.status = 101;
  active_.head_sent = true;
  active_.framing = Framing::kWebSocket;
  close_after_answer_ = true;
  Write(EncodeSwitchingProtocols(key, context_->Date()));
  if (state_ != State::kOpen) return;
  websocket_ = std::make_unique<WebSocketSession>(std::move(*op.websocket), uv_now(context_->loop));
  context_->logger->Debug(context_->log_component, "WebSocket opened",
                          {{"route", active_.route}, {"remote", remote_address_}});
  if (context_->shutting_down) {  // accepted after shutdown began: close at once
    std::string out;
    websocket_->Close(kCloseGoingAway, "server shutting down", &out);
    FinishWebSocket(std::move(out));
    return;
  }
  if (!pumping_) FeedPendingToWebSocket();  // else Pump does it once its input is stored
}

void Connection::FeedPendingToWebSocket() {
  if (pending_offset_ < pending_.size()) {
    std::string early = pending_.substr(pending_offset_);
    pending_.clear();
    pending_offset_ = 0;
    WebSocketInput(early);
    if (state_ != State::kOpen) return;
  }
  UpdateReading();
  UpdateTimer();
}

void Connection::WebSocketInput(std::string_view data) {
  std::string out;
  const bool over = websocket_->OnInput(data, uv_now(context_->loop), &out);
  if (state_ != State::kOpen) return;  // a callback closed the connection
  if (over) {
    FinishWebSocket(std::move(out));
    return;
  }
  if (!out.empty()) Write(std::move(out));
  UpdateTimer();
}

void Connection::CloseWebSocket(std::string_view frame) {
  if (websocket_ == nullptr || websocket_->close_sent() || state_ != State::kOpen) return;
  // The frame is EncodeCloseFrame's: 2 header bytes, then the code and the reason.
  uint16_t code = kCloseNoStatus;
  std::string_view reason;
  if (frame.size() >= 4) {
    code = static_cast<uint16_t>((static_cast<uint8_t>(frame[2]) << 8) |
                                 static_cast<uint8_t>(frame[3]));
    reason = frame.substr(4);
  }
  std::string out;
  websocket_->Close(code, reason, &out);
  FinishWebSocket(std::move(out));
}

void Connection::FinishWebSocket(std::string out) {
  if (!out.empty()) Write(std::move(out));
  EndWebSocket();
  BeginDrain();
}

void Connection::EndWebSocket() {
  if (exchange_ == nullptr) return;
  exchange_->Cancel();  // the handler's later sends fail with Unavailable
  exchange_.reset();
  waiting_ = false;
  if (context_ == nullptr || context_->metrics == nullptr) return;
  context_->metrics->RequestEnded();
  const double seconds =
      static_cast<double>(context_->clock->MonotonicNanos() - active_.start_nanos) / 1e9;
  context_->metrics->RecordResponse(active_.method, active_.route, 101, seconds);
}

void Connection::WebSocketTimeout() {
  std::string out;
  if (websocket_->OnTimer(uv_now(context_->loop), &out)) {
    context_->logger->Debug(context_->log_component, "closing idle WebSocket",
                            {{"remote", remote_address_}});
    FinishWebSocket(std::move(out));
    return;
  }
  if (!out.empty()) Write(std::move(out));
  UpdateTimer();
}

void Connection::AnswerDropped() {
  context_->logger->Error(context_->log_component,
                          "handler dropped its Responder without answering; this is a bug in "
                          "the handler",
                          {{"method", active_.method},
                           {"route", active_.route},
                           {"stream_started", active_.head_sent},
                           {"remote", remote_address_}});
  if (active_.head_sent) {
    Close();  // a started stream cannot be completed: cut it so the client sees the failure
    return;
  }
  WriteWhole(Response::Error(500, "internal error: the request handler did not answer"));
  AnswerDone();
}

bool Connection::WillClose() const {
  return close_after_answer_ || !active_.keep_alive || context_->shutting_down;
}

void Connection::WriteWhole(Response response) {
  const bool no_body = StatusForbidsBody(response.status);
  HeadOptions options;
  options.framing = no_body ? BodyFraming::kNone : BodyFraming::kContentLength;
  options.content_length = response.body.size();
  options.close = WillClose();
  options.keep_alive = !options.close && active_.http_minor == 0;
  options.date = context_->Date();
  std::string head;
  head.reserve(256);
  AppendResponseHead(response, options, &head);
  active_.status = response.status;
  active_.head_sent = true;
  active_.framing = Framing::kWhole;
  std::string body = (no_body || active_.head) ? std::string() : std::move(response.body);
  Write(std::move(head), std::move(body));
}

void Connection::WriteStreamHead(Response head) {
  Framing framing = Framing::kChunked;
  if (StatusForbidsBody(head.status)) {
    framing = Framing::kNone;
  } else if (active_.http_minor == 0) {
    framing = Framing::kUntilClose;  // HTTP/1.0 has no chunked encoding
    close_after_answer_ = true;
  }
  HeadOptions options;
  options.framing = framing == Framing::kChunked      ? BodyFraming::kChunked
                    : framing == Framing::kUntilClose ? BodyFraming::kUntilClose
                                                      : BodyFraming::kNone;
  options.close = WillClose();
  options.keep_alive = !options.close && active_.http_minor == 0;
  options.date = context_->Date();
  std::string first_chunk = std::move(head.body);
  std::string bytes;
  bytes.reserve(256);
  AppendResponseHead(head, options, &bytes);
  active_.status = head.status;
  active_.head_sent = true;
  active_.framing = framing;
  Write(std::move(bytes));
  const size_t size = first_chunk.size();
  WriteStreamChunk(std::move(first_chunk), size);
}

void Connection::WriteStreamChunk(std::string data, size_t streamed) {
  if (data.empty() || active_.head || active_.framing == Framing::kNone) {
    if (exchange_ != nullptr) exchange_->Release(streamed);
    return;
  }
  if (active_.framing == Framing::kChunked) {
    std::string size_line;
    AppendChunkSize(data.size(), &size_line);
    Write(std::move(size_line), std::move(data), /*chunk_end=*/true, streamed);
  } else {
    Write({}, std::move(data), /*chunk_end=*/false, streamed);
  }
}

void Connection::EndStream() {
  if (active_.framing == Framing::kChunked && !active_.head) Write(std::string(kLastChunk));
}

void Connection::AnswerDone() {
  assert(waiting_);
  if (context_->metrics != nullptr) {
    if (exchange_ != nullptr) context_->metrics->RequestEnded();
    if (!active_.route.empty()) {
      const double seconds =
          static_cast<double>(context_->clock->MonotonicNanos() - active_.start_nanos) / 1e9;
      context_->metrics->RecordResponse(active_.method, active_.route, active_.status, seconds);
    }
  }
  if (exchange_ != nullptr) {
    exchange_->set_connection(nullptr);
    exchange_.reset();
  }
  waiting_ = false;
  ++requests_served_;
  idle_since_ms_ = uv_now(context_->loop);
  if (state_ != State::kOpen) return;
  if (WillClose()) {
    BeginDrain();
    return;
  }
  Pump({});
}

void Connection::Write(std::string head, std::string body, bool chunk_end, size_t streamed) {
  if (state_ == State::kClosing) {
    if (exchange_ != nullptr) exchange_->Release(streamed);
    return;
  }
  auto req = std::make_unique<WriteReq>();
  req->connection = this;
  req->head = std::move(head);
  req->body = std::move(body);
  req->streamed = streamed;
  if (streamed > 0) req->exchange = exchange_;
  uv_buf_t bufs[3];
  unsigned int count = 0;
  if (!req->head.empty()) bufs[count++] = uv_buf_init(req->head.data(), req->head.size());
  if (!req->body.empty()) bufs[count++] = uv_buf_init(req->body.data(), req->body.size());
  if (chunk_end) {
    bufs[count++] = uv_buf_init(const_cast<char*>(kChunkEnd.data()), kChunkEnd.size());
  }
  if (count == 0) return;
  req->req.data = req.get();
  const int rc =
      uv_write(&req->req, reinterpret_cast<uv_stream_t*>(&tcp_), bufs, count, &Connection::OnWrite);
  if (rc != 0) {
    if (req->exchange != nullptr) req->exchange->Release(streamed);
    Close();
    return;
  }
  req.release();
  if (writes_pending_ == 0) last_write_ms_ = uv_now(context_->loop);
  ++writes_pending_;
}

void Connection::OnWrite(uv_write_t* write, int status) {
  std::unique_ptr<WriteReq> req(static_cast<WriteReq*>(write->data));
  Connection* self = req->connection;
  if (req->exchange != nullptr) req->exchange->Release(req->streamed);
  --self->writes_pending_;
  if (self->state_ == State::kClosing) return;  // cancelled by uv_close
  if (status < 0) {
    self->Close();  // the client is gone
    return;
  }
  self->last_write_ms_ = uv_now(self->context_->loop);
  self->AfterWrite();
}

void Connection::AfterWrite() {
  if (state_ == State::kDraining && writes_pending_ == 0) {
    StartLinger();
    return;
  }
  if (state_ == State::kOpen && !waiting_ && !pumping_ && pending_offset_ < pending_.size()) {
    Pump({});  // output had backed up; continue with pipelined requests
    return;
  }
  UpdateTimer();
}

void Connection::BeginDrain() {
  if (state_ != State::kOpen) return;
  state_ = State::kDraining;
  pending_.clear();
  pending_offset_ = 0;
  if (writes_pending_ == 0) {
    StartLinger();
    return;
  }
  UpdateReading();
  UpdateTimer();
}

void Connection::StartLinger() {
  state_ = State::kLingering;
  if (peer_eof_) {
    Close();  // nothing more can arrive, so closing cannot reset the connection
    return;
  }
  shutdown_req_.data = this;
  if (uv_shutdown(&shutdown_req_, reinterpret_cast<uv_stream_t*>(&tcp_), &Connection::OnShutdown) !=
      0) {
    Close();
    return;
  }
  UpdateReading();
  uv_timer_start(&timer_, &Connection::OnTimer, kLingerMillis, 0);
}

void Connection::OnShutdown(uv_shutdown_t* req, int status) {
  auto* self = static_cast<Connection*>(req->data);
  if (self->state_ == State::kClosing) return;
  if (status < 0) self->Close();
}

void Connection::UpdateReading() {
  bool want = false;
  switch (state_) {
    case State::kOpen:
      want = !peer_eof_ && pending_.size() - pending_offset_ < kMaxPendingInput;
      break;
    case State::kDraining:
    case State::kLingering:
      want = !peer_eof_;  // read and discard, so closing does not reset unread input
      break;
    case State::kClosing:
      break;
  }
  auto* stream = reinterpret_cast<uv_stream_t*>(&tcp_);
  if (want && !reading_) {
    reading_ = uv_read_start(stream, &Connection::OnAlloc, &Connection::OnRead) == 0;
  } else if (!want && reading_) {
    uv_read_stop(stream);
    reading_ = false;
  }
}

void Connection::UpdateTimer() {
  if (state_ == State::kClosing || state_ == State::kLingering) return;  // linger timer is set
  const ServerOptions& options = context_->options;
  uint64_t deadline = UINT64_MAX;
  if (writes_pending_ > 0) deadline = last_write_ms_ + ToMillis(options.write_timeout);
  if (state_ == State::kOpen && websocket_ != nullptr) {
    deadline = std::min(deadline, websocket_->NextTimerMs());
  } else if (state_ == State::kOpen && !waiting_) {
    switch (parser_.phase()) {
      case RequestParser::Phase::kIdle:
        if (pending_offset_ == pending_.size()) {
          const int64_t idle =
              requests_served_ == 0 ? options.header_timeout : options.keep_alive_timeout;
          deadline = std::min(deadline, idle_since_ms_ + ToMillis(idle));
        }
        break;
      case RequestParser::Phase::kHeaders:
        deadline = std::min(deadline, request_started_ms_ + ToMillis(options.header_timeout));
        break;
      case RequestParser::Phase::kBody:
        deadline = std::min(deadline, last_read_ms_ + ToMillis(options.read_timeout));
        break;
      case RequestParser::Phase::kComplete:
      case RequestParser::Phase::kFailed:
        break;
    }
  }
  if (deadline == UINT64_MAX) {
    uv_timer_stop(&timer_);
    return;
  }
  const uint64_t now = uv_now(context_->loop);
  uv_timer_start(&timer_, &Connection::OnTimer, deadline > now ? deadline - now : 0, 0);
}

void Connection::OnTimer(uv_timer_t* timer) {
  static_cast<Connection*>(timer->data)->HandleTimeout();
}

void Connection::HandleTimeout() {
  if (state_ == State::kLingering) {
    Close();
    return;
  }
  if (state_ == State::kClosing) return;
  const ServerOptions& options = context_->options;
  const uint64_t now = uv_now(context_->loop);
  if (writes_pending_ > 0 && now >= last_write_ms_ + ToMillis(options.write_timeout)) {
    context_->logger->Debug(context_->log_component, "closing connection: client stopped reading",
                            {{"remote", remote_address_}});
    Close();
    return;
  }
  if (state_ == State::kOpen && websocket_ != nullptr) {
    if (uv_now(context_->loop) >= websocket_->NextTimerMs()) {
      WebSocketTimeout();
      return;
    }
  } else if (state_ == State::kOpen && !waiting_) {
    const RequestParser::Phase phase = parser_.phase();
    if (phase == RequestParser::Phase::kIdle && pending_offset_ == pending_.size()) {
      const int64_t idle =
          requests_served_ == 0 ? options.header_timeout : options.keep_alive_timeout;
      if (now >= idle_since_ms_ + ToMillis(idle)) {
        Close();  // idle keep-alive connection
        return;
      }
    } else if (phase == RequestParser::Phase::kHeaders &&
               now >= request_started_ms_ + ToMillis(options.header_timeout)) {
      Refuse(Response::Error(408, "request headers not complete within " +
                                      time::FormatDuration(options.header_timeout)),
             kRouteMalformed);
      return;
    } else if (phase == RequestParser::Phase::kBody &&
               now >= last_read_ms_ + ToMillis(options.read_timeout)) {
      Refuse(Response::Error(408, "request body stalled: no bytes for " +
                                      time::FormatDuration(options.read_timeout)),
             kRouteMalformed);
      return;
    }
  }
  UpdateTimer();  // not due yet
}

}  // namespace silt::http
