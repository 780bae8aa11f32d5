// The WebSocket opening handshake (RFC 6455 section 4.2) on the server side: checks a request
// that asks to upgrade, computes Sec-WebSocket-Accept (SHA-1 of the key and the RFC's GUID,
// base64, with OpenSSL) and writes the 101 Switching Protocols head.
//
// Refusals: 400 for a request that is not a WebSocket opening handshake (not GET, not HTTP/1.1,
// no "Upgrade: websocket", no "Connection: upgrade", a missing or malformed Sec-WebSocket-Key),
// 426 Upgrade Required with "Sec-WebSocket-Version: 13" for any other protocol version.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "shared/http/request.h"
#include "shared/http/response.h"

namespace silt::http {

// The GUID RFC 6455 appends to the client's key.
inline constexpr std::string_view kWebSocketGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

// nullopt when `request` is a valid opening handshake; otherwise the answer refusing it, whose
// body says what is wrong.
std::optional<Response> CheckWebSocketHandshake(const Request& request);

// base64(SHA-1(key + kWebSocketGuid)): the Sec-WebSocket-Accept value for `key`.
std::string WebSocketAcceptKey(std::string_view key);

// The complete "HTTP/1.1 101 Switching Protocols" head accepting the key `key`, with `date` as
// the Date header value.
std::string EncodeSwitchingProtocols(std::string_view key, std::string_view date);

}  // namespace silt::http
