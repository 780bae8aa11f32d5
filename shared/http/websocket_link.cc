#include "shared/http/websocket_link.h"

#include <string>
#include <utility>

#include "shared/http/websocket_frame.h"

namespace silt::http {

bool WebSocketLink::OnInput(std::string_view data, uint64_t now_ms) {
  std::string out;
  const bool over = session_.OnInput(data, now_ms, &out);
  Flush(std::move(out));
  return over;
}

bool WebSocketLink::OnTimer(uint64_t now_ms) {
  std::string out;
  const bool over = session_.OnTimer(now_ms, &out);
  Flush(std::move(out));
  return over;
}

void WebSocketLink::Close(uint16_t code, std::string_view reason) {
  std::string out;
  session_.Close(code, reason, &out);
  Flush(std::move(out));
}

bool WebSocketLink::CloseWithFrame(std::string_view frame) {
  if (session_.close_sent()) return false;
  // EncodeCloseFrame's layout: 2 header bytes, then the code and the reason.
  uint16_t code = kCloseNoStatus;
  std::string_view reason;
  if (frame.size() >= 4) {
    code = static_cast<uint16_t>((static_cast<uint8_t>(frame[2]) << 8) |
                                 static_cast<uint8_t>(frame[3]));
    reason = frame.substr(4);
  }
  Close(code, reason);
  return true;
}

void WebSocketLink::Flush(std::string out) {
  if (!out.empty()) writer_->WriteRaw(std::move(out));
}

}  // namespace silt::http
