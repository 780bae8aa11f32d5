#include "shared/http/websocket_handshake.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <string>

namespace silt::http {
namespace {

// True when `key` is base64 of exactly 16 bytes (24 characters ending in "==").
bool IsValidKey(std::string_view key) {
  if (key.size() != 24 || key.substr(22) != "==") return false;
  for (size_t i = 0; i < 22; ++i) {
    const char c = key[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!ok) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Response BadUpgrade(std::string_view what) {
  return Response::Error(400, std::string("bad WebSocket handshake: ") + std::string(what));
}

}  // namespace

std::optional<Response> CheckWebSocketHandshake(const Request& request) {
  if (request.method != "GET") return BadUpgrade("the method must be GET, not " + request.method);
  if (request.http_major != 1 || request.http_minor < 1) {
    return BadUpgrade("HTTP/1.1 is required");
  }
  if (!request.headers.HasToken("Upgrade", "websocket")) {
    return BadUpgrade("the request needs \"Upgrade: websocket\" (this route is a WebSocket)");
  }
  if (!request.headers.HasToken("Connection", "upgrade")) {
    return BadUpgrade("the request needs \"Connection: Upgrade\"");
  }
  const std::vector<std::string_view> versions = request.headers.GetAll("Sec-WebSocket-Version");
  if (versions.size() != 1 || Trim(versions[0]) != "13") {
    std::string sent;
    for (std::string_view version : versions)
      sent += (sent.empty() ? "" : ", ") + std::string(version);
    Response response =
        Response::Error(426, "unsupported WebSocket version '" + sent + "': only 13 is spoken");
    response.headers.Add("Sec-WebSocket-Version", "13");
    return response;
  }
  const std::vector<std::string_view> keys = request.headers.GetAll("Sec-WebSocket-Key");
  if (keys.size() != 1 || !IsValidKey(Trim(keys[0]))) {
    return BadUpgrade("Sec-WebSocket-Key must appear once, as base64 of 16 bytes");
  }
  return std::nullopt;
}

std::string WebSocketAcceptKey(std::string_view key) {
  std::string input(Trim(key));
  input.append(kWebSocketGuid);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  unsigned char encoded[4 * ((SHA_DIGEST_LENGTH + 2) / 3) + 1];
  const int length = EVP_EncodeBlock(encoded, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded), static_cast<size_t>(length));
}

std::string EncodeSwitchingProtocols(std::string_view key, std::string_view date) {
  std::string head = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n";
  head += "Connection: Upgrade\r\nSec-WebSocket-Accept: ";
  head += WebSocketAcceptKey(key);
  head += "\r\nDate: ";
  head += date;
  head += "\r\n\r\n";
  return head;
}

}  // namespace silt::http
