// WebSocketLink: the WebSocket half of an upgraded Connection (the upgrade hand-off). It owns
// the WebSocketSession and writes whatever the session produces (pongs, pings, close frames)
// through the connection's ResponseWriter, so the connection only feeds it input and timer
// ticks and ends the stream when a call reports that the session is over.
// Loop thread only.
#pragma once

#include <cstdint>
#include <string_view>

#include "shared/http/response_writer.h"
#include "shared/http/websocket_options.h"
#include "shared/http/websocket_session.h"

namespace silt::http {

class WebSocketLink {
 public:
  // `writer` must outlive the link; `now_ms` is the loop time of the 101.
  WebSocketLink(WebSocketOptions options, uint64_t now_ms, ResponseWriter* writer)
      : session_(std::move(options), now_ms), writer_(writer) {}

  // Client bytes. Returns true when the session is over (the client closed or broke the
  // protocol; the close frame is written).
  bool OnInput(std::string_view data, uint64_t now_ms);
  // Returns true when the client stayed silent past idle_timeout (close 1001 written); else
  // writes a ping when one is due.
  bool OnTimer(uint64_t now_ms);
  uint64_t NextTimerMs() const { return session_.NextTimerMs(); }
  // Closes from the server side with `code` (shutdown: 1001). The session is over.
  void Close(uint16_t code, std::string_view reason);
  // Closes with the handler's close frame (as EncodeCloseFrame made it). Returns false, doing
  // nothing, when a close was already sent.
  bool CloseWithFrame(std::string_view frame);
  // The transport ended without a closing handshake: on_close hears 1006.
  void Abort() { session_.Abort(); }

 private:
  void Flush(std::string out);

  WebSocketSession session_;
  ResponseWriter* writer_;
};

}  // namespace silt::http
