#include "shared/http/connection.h"

#include <cassert>
#include <exception>
#include <utility>

#include "shared/http/connection_deadline.h"
#include "shared/http/responder.h"
#include "shared/http/websocket_handshake.h"

namespace silt::http {

Connection::Connection(ServerContext* context, std::unique_ptr<net::ByteStream> stream)
    : context_(context),
      loop_(context->loop),
      stream_(std::move(stream)),
      timer_(new Timer{{}, this}),
      remote_address_(stream_->peer().address),
      reader_(context->limits),
      writer_(stream_.get()) {
  [[maybe_unused]] const int rc = uv_timer_init(loop_, &timer_->handle);
  assert(rc == 0);
  timer_->handle.data = timer_;
}

Connection::~Connection() = default;

void Connection::Start(bool reject) {
  last_read_ms_ = idle_since_ms_ = last_write_ms_ = Now();
  stream_->SetHandler(this);
  if (reject) {
    Response response = Response::Error(503, "the server is at its limit of " +
                                                 std::to_string(context_->options.max_connections) +
                                                 " connections; retry later");
    response.headers.Add("Retry-After", "1");
    return Refuse(std::move(response), "");
  }
  UpdateTimer();
}

void Connection::OnServerShutdown() {
  if (state_ != State::kOpen) return;
  if (websocket_ != nullptr) {
    websocket_->Close(kCloseGoingAway, "server shutting down");
    FinishWebSocket();
    return;
  }
  if (waiting_ || reader_.phase() == RequestParser::Phase::kBody) {
    close_after_answer_ = true;  // in flight: answer it, then close
    return;
  }
  if (WritesPending()) return BeginEnding();
  Close();  // idle: nothing to flush
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
      RecordAnswer(499);
    }
  }
  uv_timer_stop(&timer_->handle);
  stream_->Close();  // OnClosed follows on a later loop turn
}

void Connection::Detach() {
  Close();
  context_ = nullptr;
}

void Connection::OnClosed(const Status& why) {
  if (state_ != State::kClosing) {
    if (!why.ok() && context_ != nullptr) {
      context_->logger->Debug(context_->log_component, "connection ended",
                              {{"remote", remote_address_}, {"error", why}});
    }
    Close();  // the client went away, or the orderly end is complete
  }
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_->handle), &Connection::OnTimerClosed);
}

void Connection::OnTimerClosed(uv_handle_t* handle) {
  std::unique_ptr<Timer> timer(static_cast<Timer*>(handle->data));
  Connection* self = timer->owner;
  if (self->context_ != nullptr && self->context_->on_closed) self->context_->on_closed(self);
  delete self;
}

void Connection::OnData(std::string_view bytes) {
  last_read_ms_ = Now();
  if (state_ != State::kOpen) return;  // ending: input is discarded
  if (websocket_ != nullptr) {
    WebSocketInput(bytes);
    return;
  }
  Pump(bytes);
}

bool Connection::OnPeerEnded() {
  peer_eof_ = true;
  if (state_ != State::kOpen) return true;
  if (websocket_ != nullptr) {
    Close();  // the client left without a closing handshake: on_close hears 1006
    return false;
  }
  if (waiting_) {
    // Half-closed: the answer is still written, but the handler may stop early.
    if (exchange_ != nullptr) exchange_->MarkClientGone();
    UpdateReading();
    return false;
  }
  Pump({});  // pipelined requests already received are still answered
  return false;
}

void Connection::OnDrained() {
  writer_.ReleaseWritten();
  last_write_ms_ = Now();
  accepted_at_check_ = writer_.accepted_bytes();
  if (state_ == State::kOpen && !waiting_ && !pumping_ && reader_.buffered_bytes() > 0) {
    Pump({});  // output had backed up; continue with pipelined requests
    return;
  }
  UpdateTimer();
}

void Connection::Pump(std::string_view fresh) {
  if (pumping_) {
    assert(fresh.empty());
    return;
  }
  pumping_ = true;
  bool input_exhausted = false;
  while (state_ == State::kOpen && !waiting_) {
    if (writer_.queued_bytes() >= kWriteHighWater) break;  // OnDrained resumes
    if (!ParseNext(&fresh)) {
      input_exhausted = true;
      break;
    }
  }
  if (state_ == State::kOpen) reader_.Keep(fresh);
  pumping_ = false;
  if (websocket_ != nullptr) {
    if (state_ == State::kOpen) FeedPendingToWebSocket();  // frames that came with the handshake
    return;
  }
  if (state_ == State::kOpen && peer_eof_ && !waiting_ && input_exhausted) BeginEnding();
  UpdateReading();
  UpdateTimer();
}

bool Connection::ParseNext(std::string_view* fresh) {
  const RequestReader::Step step = reader_.FeedNext(fresh);
  if (!step.fed) return false;
  if (step.started) request_started_ms_ = Now();
  if (reader_.parser().TakeContinueRequest()) writer_.WriteRaw(std::string(kContinueResponse));
  const RequestParser::Phase phase = reader_.phase();
  if (phase == RequestParser::Phase::kFailed) {
    const HttpError& error = reader_.parser().error();
    Refuse(Response::Error(error.status, error.reason), kRouteMalformed);
  } else if (phase == RequestParser::Phase::kComplete) {
    Dispatch(reader_.parser().TakeRequest());
  } else if (step.stalled) {
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
    WriteWhole(UnroutedResponse(request, match));
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
  // A stream still in progress: arm write_timeout for the bytes just queued.
  if (state_ != State::kClosing && exchange_.get() == &exchange && !pumping_) UpdateTimer();
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
    case Exchange::OpKind::kChunk:
      writer_.WriteStreamChunk(std::move(op.data), exchange_);
      return;
    case Exchange::OpKind::kFinish:
      writer_.EndStream();
      AnswerDone();
      return;
    case Exchange::OpKind::kDropped:
      AnswerDropped();
      return;
    case Exchange::OpKind::kUpgrade:
      StartWebSocket(std::move(op));
      return;
    case Exchange::OpKind::kWebSocketClose:
      if (websocket_ != nullptr && state_ == State::kOpen && websocket_->CloseWithFrame(op.data)) {
        FinishWebSocket();
      }
      return;
  }
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

AnswerShape Connection::Shape() const {
  return AnswerShape{.head_request = active_.head,
                     .http_minor = active_.http_minor,
                     .close = WillClose(),
                     .date = context_->Date()};
}

void Connection::WriteWhole(Response response) {
  active_.status = response.status;
  active_.head_sent = true;
  writer_.WriteWhole(std::move(response), Shape());
}

void Connection::WriteStreamHead(Response head) {
  active_.status = head.status;
  active_.head_sent = true;
  if (writer_.WriteStreamHead(std::move(head), Shape(), exchange_)) close_after_answer_ = true;
}

void Connection::AnswerDone() {
  assert(waiting_);
  if (context_->metrics != nullptr) {
    if (exchange_ != nullptr) context_->metrics->RequestEnded();
    RecordAnswer(active_.status);
  }
  if (exchange_ != nullptr) {
    exchange_->set_connection(nullptr);
    exchange_.reset();
  }
  waiting_ = false;
  ++requests_served_;
  idle_since_ms_ = Now();
  if (state_ != State::kOpen) return;
  if (WillClose()) {
    BeginEnding();
    return;
  }
  Pump({});
}

void Connection::RecordAnswer(int status) {
  if (context_ == nullptr || context_->metrics == nullptr || active_.route.empty()) return;
  const double seconds =
      static_cast<double>(context_->clock->MonotonicNanos() - active_.start_nanos) / 1e9;
  context_->metrics->RecordResponse(active_.method, active_.route, status, seconds);
}

void Connection::BeginEnding() {
  if (state_ != State::kOpen) return;
  state_ = State::kEnding;
  reader_.DropBuffered();
  stream_->Shutdown();
  UpdateReading();  // read and discard, so closing does not reset unread input
  UpdateTimer();
}

void Connection::UpdateReading() {
  if (state_ == State::kClosing) return;
  const bool want =
      state_ == State::kEnding || (!peer_eof_ && reader_.buffered_bytes() < kMaxPendingInput);
  if (want == reading_) return;
  reading_ = want;
  if (want) {
    stream_->ResumeReading();
  } else {
    stream_->PauseReading();
  }
}

void Connection::StartWebSocket(Exchange::Op op) {
  const std::string key(op.response.headers.Get("Sec-WebSocket-Key").value_or(""));
  active_.status = 101;
  active_.head_sent = true;
  close_after_answer_ = true;
  writer_.BeginWebSocket(EncodeSwitchingProtocols(key, context_->Date()));
  if (state_ != State::kOpen) return;
  websocket_ = std::make_unique<WebSocketLink>(std::move(*op.websocket), Now(), &writer_);
  context_->logger->Debug(context_->log_component, "WebSocket opened",
                          {{"route", active_.route}, {"remote", remote_address_}});
  if (context_->shutting_down) {  // accepted after shutdown began: close at once
    websocket_->Close(kCloseGoingAway, "server shutting down");
    FinishWebSocket();
    return;
  }
  if (!pumping_) FeedPendingToWebSocket();  // else Pump does it once its input is stored
}

void Connection::FeedPendingToWebSocket() {
  if (reader_.buffered_bytes() > 0) {
    WebSocketInput(reader_.TakeBuffered());
    if (state_ != State::kOpen) return;
  }
  UpdateReading();
  UpdateTimer();
}

void Connection::WebSocketInput(std::string_view data) {
  const bool over = websocket_->OnInput(data, Now());
  if (state_ != State::kOpen) return;  // a callback closed the connection
  if (over) return FinishWebSocket();
  UpdateTimer();
}

void Connection::FinishWebSocket() {
  EndWebSocket();
  BeginEnding();
}

void Connection::EndWebSocket() {
  if (exchange_ == nullptr) return;
  exchange_->Cancel();  // the handler's later sends fail with Unavailable
  exchange_.reset();
  waiting_ = false;
  if (context_ == nullptr || context_->metrics == nullptr) return;
  context_->metrics->RequestEnded();
  RecordAnswer(101);
}

void Connection::WebSocketTimeout() {
  if (websocket_->OnTimer(Now())) {
    context_->logger->Debug(context_->log_component, "closing idle WebSocket",
                            {{"remote", remote_address_}});
    return FinishWebSocket();
  }
  UpdateTimer();
}

ConnectionTimes Connection::Times() {
  ConnectionTimes times;
  times.open = state_ == State::kOpen;
  times.websocket = websocket_ != nullptr;
  times.waiting = waiting_;
  times.writes_pending = WritesPending();
  times.input_buffered = reader_.buffered_bytes() > 0;
  times.phase = reader_.phase();
  times.requests_served = requests_served_;
  if (times.writes_pending && !write_clock_running_) {
    last_write_ms_ = Now();  // the queue just began: the client has write_timeout from now
    accepted_at_check_ = writer_.accepted_bytes();
  }
  write_clock_running_ = times.writes_pending;
  times.last_write_ms = last_write_ms_;
  times.idle_since_ms = idle_since_ms_;
  times.request_started_ms = request_started_ms_;
  times.last_read_ms = last_read_ms_;
  times.websocket_due_ms = websocket_ != nullptr ? websocket_->NextTimerMs() : 0;
  return times;
}

void Connection::UpdateTimer() {
  if (state_ == State::kClosing) return;
  const Deadline deadline = NextDeadline(context_->options, Times());
  if (deadline.kind == TimeoutKind::kNone) {
    uv_timer_stop(&timer_->handle);
    return;
  }
  const uint64_t now = Now();
  uv_timer_start(&timer_->handle, &Connection::OnTimer,
                 deadline.at_ms > now ? deadline.at_ms - now : 0, 0);
}

void Connection::OnTimer(uv_timer_t* timer) {
  static_cast<Timer*>(timer->data)->owner->HandleTimeout();
}

void Connection::HandleTimeout() {
  if (state_ == State::kClosing) return;
  const uint64_t now = Now();
  if (WritesPending() && writer_.accepted_bytes() != accepted_at_check_) {
    writer_.ReleaseWritten();  // the client took bytes: it has another write_timeout
    accepted_at_check_ = writer_.accepted_bytes();
    last_write_ms_ = now;
  }
  const ServerOptions& options = context_->options;
  const Deadline deadline = NextDeadline(options, Times());
  if (now < deadline.at_ms) return UpdateTimer();  // not due yet
  switch (deadline.kind) {
    case TimeoutKind::kWrite:
      context_->logger->Debug(context_->log_component, "closing connection: client stopped reading",
                              {{"remote", remote_address_}});
      return Close();
    case TimeoutKind::kIdle:
      return Close();  // idle keep-alive connection
    case TimeoutKind::kHeaders:
      return Refuse(Response::Error(408, "request headers not complete within " +
                                             time::FormatDuration(options.header_timeout)),
                    kRouteMalformed);
    case TimeoutKind::kBody:
      return Refuse(Response::Error(408, "request body stalled: no bytes for " +
                                             time::FormatDuration(options.read_timeout)),
                    kRouteMalformed);
    case TimeoutKind::kWebSocket:
      return WebSocketTimeout();
    case TimeoutKind::kNone:
      return;
  }
}

}  // namespace silt::http
