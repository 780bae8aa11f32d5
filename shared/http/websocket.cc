#include "shared/http/websocket.h"

#include <utility>

#include "shared/http/exchange.h"
#include "shared/http/websocket_frame_encoder.h"

namespace silt::http {

WebSocket::WebSocket(std::shared_ptr<Exchange> exchange) : exchange_(std::move(exchange)) {}

Status WebSocket::SendText(std::string_view text) {
  if (closed()) return Status::Unavailable("the WebSocket is closed");
  std::string frame;
  AppendWebSocketFrame(WebSocketOpcode::kText, text, &frame);
  return exchange_->Post(Exchange::Op{Exchange::OpKind::kChunk, {}, std::move(frame)});
}

void WebSocket::Close(uint16_t code, std::string_view reason) {
  if (close_requested_.exchange(true, std::memory_order_acq_rel)) return;
  // Ignored: Unavailable only means the connection already ended.
  exchange_
      ->Post(Exchange::Op{Exchange::OpKind::kWebSocketClose, {}, EncodeCloseFrame(code, reason)})
      .IgnoreError();
}

bool WebSocket::closed() const {
  return close_requested_.load(std::memory_order_acquire) || exchange_->cancelled();
}

size_t WebSocket::buffered_bytes() const { return exchange_->buffered_bytes(); }

}  // namespace silt::http
