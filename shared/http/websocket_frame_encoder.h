// WebSocket frame encoding (RFC 6455 section 5.2): unmasked frames as a server sends them, and
// masked frames as a client sends them (the test clients and a future `silt tail` use those).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "shared/http/websocket_frame.h"

namespace silt::http {

// Appends one unmasked frame with `payload` to *out. `fin` false starts or continues a
// fragmented message. Precondition: control frames are final and at most 125 bytes.
void AppendWebSocketFrame(WebSocketOpcode opcode, std::string_view payload, std::string* out,
                          bool fin = true);

// One unmasked close frame with `code` and `reason`, cut to the 123 bytes a close frame can hold
// (at a UTF-8 character boundary). kCloseNoStatus gives an empty close frame.
std::string EncodeCloseFrame(uint16_t code, std::string_view reason);

// Appends one masked frame (a client's) with masking key `mask`.
void AppendMaskedWebSocketFrame(WebSocketOpcode opcode, std::string_view payload, uint32_t mask,
                                std::string* out, bool fin = true);

}  // namespace silt::http
