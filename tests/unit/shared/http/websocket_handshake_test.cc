#include "shared/http/websocket_handshake.h"

#include <gtest/gtest.h>

namespace silt::http {
namespace {

Request Upgrade() {
  Request request;
  request.method = "GET";
  request.headers.Add("Host", "x");
  request.headers.Add("Upgrade", "websocket");
  request.headers.Add("Connection", "keep-alive, Upgrade");
  request.headers.Add("Sec-WebSocket-Version", "13");
  request.headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  return request;
}

TEST(WebSocketHandshakeTest, AcceptKeyMatchesTheRfcExample) {
  EXPECT_EQ(WebSocketAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshakeTest, ValidRequestIsAccepted) {
  EXPECT_FALSE(CheckWebSocketHandshake(Upgrade()).has_value());
}

TEST(WebSocketHandshakeTest, SwitchingProtocolsHeadCarriesTheAcceptKey) {
  const std::string head = EncodeSwitchingProtocols("dGhlIHNhbXBsZSBub25jZQ==", "D");
  EXPECT_EQ(head,
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nDate: D\r\n\r\n");
}

TEST(WebSocketHandshakeTest, OtherVersionGets426WithTheSupportedVersion) {
  Request request = Upgrade();
  request.headers.Set("Sec-WebSocket-Version", "8");
  std::optional<Response> refusal = CheckWebSocketHandshake(request);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 426);
  EXPECT_EQ(refusal->headers.Get("Sec-WebSocket-Version"), "13");
  EXPECT_NE(refusal->body.find("'8'"), std::string::npos);
}

TEST(WebSocketHandshakeTest, MissingVersionGets426) {
  Request request = Upgrade();
  request.headers.Remove("Sec-WebSocket-Version");
  EXPECT_EQ(CheckWebSocketHandshake(request)->status, 426);
}

TEST(WebSocketHandshakeTest, MissingOrMalformedKeyGets400) {
  Request missing = Upgrade();
  missing.headers.Remove("Sec-WebSocket-Key");
  EXPECT_EQ(CheckWebSocketHandshake(missing)->status, 400);
  Request short_key = Upgrade();
  short_key.headers.Set("Sec-WebSocket-Key", "c2hvcnQ=");
  EXPECT_EQ(CheckWebSocketHandshake(short_key)->status, 400);
  Request twice = Upgrade();
  twice.headers.Add("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(CheckWebSocketHandshake(twice)->status, 400);
}

TEST(WebSocketHandshakeTest, PlainGetWithoutUpgradeGets400) {
  Request request = Upgrade();
  request.headers.Remove("Upgrade");
  std::optional<Response> refusal = CheckWebSocketHandshake(request);
  ASSERT_TRUE(refusal.has_value());
  EXPECT_EQ(refusal->status, 400);
  EXPECT_NE(refusal->body.find("Upgrade: websocket"), std::string::npos);
}

TEST(WebSocketHandshakeTest, MissingConnectionUpgradeGets400) {
  Request request = Upgrade();
  request.headers.Set("Connection", "keep-alive");
  EXPECT_EQ(CheckWebSocketHandshake(request)->status, 400);
}

TEST(WebSocketHandshakeTest, PostOrHttp10Gets400) {
  Request post = Upgrade();
  post.method = "POST";
  EXPECT_EQ(CheckWebSocketHandshake(post)->status, 400);
  Request old = Upgrade();
  old.http_minor = 0;
  EXPECT_EQ(CheckWebSocketHandshake(old)->status, 400);
}

}  // namespace
}  // namespace silt::http
