#include "shared/http/responder.h"

#include <cassert>
#include <utility>

#include "shared/http/exchange.h"
#include "shared/http/websocket_handshake.h"

namespace silt::http {

Responder::Responder(std::shared_ptr<Exchange> exchange) : exchange_(std::move(exchange)) {}

Responder::Responder(Responder&& other) noexcept
    : exchange_(std::move(other.exchange_)), state_(std::exchange(other.state_, State::kDone)) {}

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    Drop();
    exchange_ = std::move(other.exchange_);
    state_ = std::exchange(other.state_, State::kDone);
  }
  return *this;
}

Responder::~Responder() { Drop(); }

void Responder::Drop() {
  if (exchange_ != nullptr && state_ != State::kDone) {
    // Ignored: the exchange logs the drop on the loop, or the client is already gone.
    exchange_->Post(Exchange::Op{Exchange::OpKind::kDropped, {}, {}}).IgnoreError();
  }
  exchange_.reset();
  state_ = State::kDone;
}

void Responder::Respond(Response response) {
  assert(state_ == State::kIdle && "Respond after the answer was started");
  if (exchange_ == nullptr || state_ != State::kIdle) return;
  state_ = State::kDone;
  // Ignored: Unavailable only means the client left, and Respond is not capped.
  exchange_->Post(Exchange::Op{Exchange::OpKind::kRespond, std::move(response), {}}).IgnoreError();
}

Status Responder::StartStream(Response head) {
  assert(state_ == State::kIdle && "StartStream after the answer was started");
  if (exchange_ == nullptr || state_ != State::kIdle) {
    return Status::InvalidArgument("StartStream on a responder that already answered");
  }
  state_ = State::kStreaming;
  return exchange_->Post(Exchange::Op{Exchange::OpKind::kStartStream, std::move(head), {}});
}

Status Responder::Write(std::string chunk) {
  assert(state_ == State::kStreaming && "Write needs StartStream first");
  if (exchange_ == nullptr || state_ != State::kStreaming) {
    return Status::InvalidArgument("Write on a responder that is not streaming");
  }
  if (chunk.empty()) return exchange_->cancelled() ? Status::Unavailable("client gone") : Status();
  return exchange_->Post(Exchange::Op{Exchange::OpKind::kChunk, {}, std::move(chunk)});
}

void Responder::Finish() {
  assert(state_ == State::kStreaming && "Finish needs StartStream first");
  if (exchange_ == nullptr || state_ != State::kStreaming) return;
  state_ = State::kDone;
  // Ignored: Unavailable only means the client left.
  exchange_->Post(Exchange::Op{Exchange::OpKind::kFinish, {}, {}}).IgnoreError();
}

Result<std::shared_ptr<WebSocket>> Responder::AcceptWebSocket(const Request& request,
                                                              WebSocketOptions options) {
  assert(state_ == State::kIdle && "AcceptWebSocket after the answer was started");
  if (exchange_ == nullptr || state_ != State::kIdle) {
    return Status::InvalidArgument("AcceptWebSocket on a responder that already answered");
  }
  if (std::optional<Response> refusal = CheckWebSocketHandshake(request)) {
    std::string reason = refusal->body;
    while (!reason.empty() && reason.back() == '\n') reason.pop_back();
    Respond(std::move(*refusal));
    return Status::InvalidArgument(reason);
  }
  state_ = State::kDone;
  exchange_->set_max_buffered_bytes(options.max_send_buffer_bytes);
  Exchange::Op op{Exchange::OpKind::kUpgrade, {}, {}};
  op.response.status = 101;
  op.response.headers.Add("Sec-WebSocket-Key", std::string(*request.Header("Sec-WebSocket-Key")));
  op.websocket = std::make_shared<WebSocketOptions>(std::move(options));
  auto websocket = std::make_shared<WebSocket>(exchange_);
  SILT_RETURN_IF_ERROR(exchange_->Post(std::move(op)));
  return websocket;
}

bool Responder::Cancelled() const { return exchange_ == nullptr || exchange_->client_gone(); }

size_t Responder::BufferedBytes() const {
  return exchange_ == nullptr ? 0 : exchange_->buffered_bytes();
}

}  // namespace silt::http
