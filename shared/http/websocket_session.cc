#include "shared/http/websocket_session.h"

#include <utility>
#include <vector>

#include "shared/http/websocket_frame_encoder.h"

namespace silt::http {
namespace {

uint64_t Millis(int64_t nanos) { return static_cast<uint64_t>(nanos / 1'000'000); }

}  // namespace

WebSocketSession::WebSocketSession(WebSocketOptions options, uint64_t now_ms)
    : options_(std::move(options)),
      parser_(WebSocketParserLimits{.max_message_bytes = options_.max_message_bytes,
                                    .require_mask = true}),
      last_input_ms_(now_ms) {}

bool WebSocketSession::OnInput(std::string_view data, uint64_t now_ms, std::string* out) {
  if (finished_) return true;
  last_input_ms_ = now_ms;
  ping_outstanding_ = false;
  std::vector<WebSocketMessage> messages;
  parser_.Feed(data, &messages);
  for (const WebSocketMessage& message : messages) {
    switch (message.opcode) {
      case WebSocketOpcode::kPing:
        if (!close_sent_) AppendWebSocketFrame(WebSocketOpcode::kPong, message.payload, out);
        break;
      case WebSocketOpcode::kPong:
        break;
      case WebSocketOpcode::kClose: {
        // Echo the peer's code (RFC 6455 section 5.5.1); an empty close gets an empty one.
        if (!close_sent_) {
          out->append(EncodeCloseFrame(message.close_code, {}));
          close_sent_ = true;
        }
        Finish(message.close_code, message.payload);
        return true;
      }
      default:
        if (!close_sent_ && options_.on_message) options_.on_message(message);
        break;
    }
  }
  if (parser_.failed()) {
    Close(parser_.error_code(), parser_.error(), out);
    return true;
  }
  return finished_;
}

void WebSocketSession::Close(uint16_t code, std::string_view reason, std::string* out) {
  if (!close_sent_) {
    out->append(EncodeCloseFrame(code, reason));
    close_sent_ = true;
  }
  Finish(code, reason);
}

void WebSocketSession::Abort() { Finish(kCloseAbnormal, "connection ended without a close frame"); }

uint64_t WebSocketSession::NextTimerMs() const {
  if (ping_outstanding_) return last_input_ms_ + Millis(options_.idle_timeout);
  return last_input_ms_ + Millis(options_.ping_interval);
}

bool WebSocketSession::OnTimer(uint64_t now_ms, std::string* out) {
  if (finished_) return true;
  if (now_ms >= last_input_ms_ + Millis(options_.idle_timeout)) {
    Close(kCloseGoingAway,
          "no data or pong from the client for " + time::FormatDuration(options_.idle_timeout),
          out);
    return true;
  }
  if (!ping_outstanding_ && now_ms >= last_input_ms_ + Millis(options_.ping_interval)) {
    AppendWebSocketFrame(WebSocketOpcode::kPing, "silt", out);
    ping_outstanding_ = true;
  }
  return false;
}

void WebSocketSession::Finish(uint16_t code, std::string_view reason) {
  if (finished_) return;
  finished_ = true;
  if (options_.on_close) options_.on_close(code, reason);
}

}  // namespace silt::http
