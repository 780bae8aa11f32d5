// WebSocket over a real HttpServer and socket: handshake, messages both ways, pings, the closing
// handshake from either side, bad frames, backpressure and shutdown (close 1001).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/http/responder.h"
#include "shared/http/websocket.h"
#include "shared/http/websocket_frame_encoder.h"
#include "tests/support/websocket_client.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::http {
namespace {

using ::silt::http::testing::TestServer;
using ::silt::http::testing::WaitFor;
using ::silt::testing::WebSocketClient;
using ::testing::HasSubstr;

// What the /echo route saw; the sockets it accepted.
struct Observed {
  std::mutex mu;
  std::vector<std::shared_ptr<WebSocket>> sockets;
  std::vector<uint16_t> closes;
  std::shared_ptr<WebSocket> Socket(size_t i) {
    std::lock_guard<std::mutex> lock(mu);
    return i < sockets.size() ? sockets[i] : nullptr;
  }
  std::vector<uint16_t> Closes() {
    std::lock_guard<std::mutex> lock(mu);
    return closes;
  }
};

class WebSocketServerTest : public ::testing::Test {
 protected:
  void StartServer(WebSocketOptions base = {}) {
    Router router;
    EXPECT_TRUE(router
                    .Add("GET", "/echo",
                         [this, base](Request request, Responder responder) {
                           Accept(std::move(request), std::move(responder), base);
                         })
                    .ok());
    server_ = std::make_unique<TestServer>(std::move(router));
    ASSERT_TRUE(server_->status().ok()) << server_->status().ToString();
  }

  // Echoes every message with "echo: " in front; "close" makes the server close with 4000.
  void Accept(Request request, Responder responder, WebSocketOptions options) {
    auto socket_slot = std::make_shared<std::weak_ptr<WebSocket>>();
    options.on_message = [socket_slot](const WebSocketMessage& message) {
      std::shared_ptr<WebSocket> socket = socket_slot->lock();
      if (socket == nullptr) return;
      if (message.payload == "close") {
        socket->Close(4000, "asked to");
        return;
      }
      socket->SendText("echo: " + message.payload).IgnoreError();
    };
    options.on_close = [this](uint16_t code, std::string_view) {
      std::lock_guard<std::mutex> lock(observed_.mu);
      observed_.closes.push_back(code);
    };
    Result<std::shared_ptr<WebSocket>> socket =
        responder.AcceptWebSocket(request, std::move(options));
    if (!socket.ok()) return;
    *socket_slot = *socket;
    std::lock_guard<std::mutex> lock(observed_.mu);
    observed_.sockets.push_back(*socket);
  }

  void TearDown() override {
    if (server_ != nullptr) {
      EXPECT_TRUE(server_->Shutdown()) << "a handle was left open";
    }
  }

  Observed observed_;
  std::unique_ptr<TestServer> server_;
};

TEST_F(WebSocketServerTest, HandshakeAnswers101WithTheAcceptKey) {
  StartServer();
  WebSocketClient client(server_->port());
  std::string head;
  ASSERT_EQ(client.Handshake("/echo", {}, &head), 101);
  EXPECT_THAT(head, HasSubstr("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
  EXPECT_THAT(head, HasSubstr("Upgrade: websocket\r\n"));
}

TEST_F(WebSocketServerTest, MessagesAreEchoed) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendText("one"));
  ASSERT_TRUE(client.SendFrame(WebSocketOpcode::kText, "tw", /*fin=*/false));
  ASSERT_TRUE(client.SendFrame(WebSocketOpcode::kContinuation, "o"));
  EXPECT_EQ(client.ReadText(), "echo: one");
  EXPECT_EQ(client.ReadText(), "echo: two");
}

TEST_F(WebSocketServerTest, SendFromAnotherThreadArrives) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(WaitFor([&] { return observed_.Socket(0) != nullptr; }));
  std::thread sender([socket = observed_.Socket(0)] {
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(socket->SendText("n" + std::to_string(i)).ok());
  });
  sender.join();
  EXPECT_EQ(client.ReadText(), "n0");
  EXPECT_EQ(client.ReadText(), "n1");
  EXPECT_EQ(client.ReadText(), "n2");
}

TEST_F(WebSocketServerTest, FramesSentWithTheHandshakeAreRead) {
  StartServer();
  WebSocketClient client(server_->port());
  std::string frame;
  AppendMaskedWebSocketFrame(WebSocketOpcode::kText, "early", 7, &frame);
  ASSERT_EQ(client.Handshake("/echo", {}, nullptr, nullptr, frame), 101);
  EXPECT_EQ(client.ReadText(), "echo: early");
}

TEST_F(WebSocketServerTest, PipelinedHttpAfterTheUpgradeIsAProtocolError) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(
      client.Handshake("/echo", {}, nullptr, nullptr, "GET /echo HTTP/1.1\r\nHost: t\r\n\r\n"),
      101);
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->close_code, kCloseProtocolError);
  EXPECT_TRUE(client.WaitForEof());
}

TEST_F(WebSocketServerTest, PingIsAnsweredWithPong) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendFrame(WebSocketOpcode::kPing, "are you there"));
  std::optional<WebSocketMessage> pong = client.Read();
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->opcode, WebSocketOpcode::kPong);
  EXPECT_EQ(pong->payload, "are you there");
}

TEST_F(WebSocketServerTest, ClientCloseIsEchoedAndTheServerClosesTheSocket) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendClose(kCloseNormal, "done"));
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->opcode, WebSocketOpcode::kClose);
  EXPECT_EQ(close->close_code, kCloseNormal);
  EXPECT_TRUE(client.WaitForEof());
  EXPECT_TRUE(WaitFor([&] { return observed_.Closes() == std::vector<uint16_t>{kCloseNormal}; }));
  EXPECT_EQ(observed_.Socket(0)->SendText("late").code(), StatusCode::kUnavailable);
}

TEST_F(WebSocketServerTest, HandlerCloseReachesTheClient) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendText("close"));
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->close_code, 4000);
  EXPECT_EQ(close->payload, "asked to");
  EXPECT_TRUE(client.WaitForEof());
  EXPECT_TRUE(WaitFor([&] { return observed_.Closes() == std::vector<uint16_t>{4000}; }));
}

TEST_F(WebSocketServerTest, UnmaskedFrameClosesWith1002) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  std::string frame;
  AppendWebSocketFrame(WebSocketOpcode::kText, "bare", &frame);
  ASSERT_TRUE(client.SendRaw(frame));
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->close_code, kCloseProtocolError);
  EXPECT_TRUE(client.WaitForEof());
}

TEST_F(WebSocketServerTest, OversizedMessageClosesWith1009) {
  WebSocketOptions options;
  options.max_message_bytes = 1000;
  StartServer(options);
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(client.SendText(std::string(1001, 'x')));
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->close_code, kCloseMessageTooBig);
}

TEST_F(WebSocketServerTest, ClientVanishingReports1006) {
  StartServer();
  {
    WebSocketClient client(server_->port());
    ASSERT_EQ(client.Handshake("/echo"), 101);
  }
  EXPECT_TRUE(WaitFor([&] { return observed_.Closes() == std::vector<uint16_t>{kCloseAbnormal}; }));
  EXPECT_TRUE(WaitFor([&] { return server_->ConnectionCount() == 0; }));
}

TEST_F(WebSocketServerTest, WrongVersionGets426AndNoUpgrade) {
  StartServer();
  WebSocketClient client(server_->port());
  std::string head;
  std::string body;
  // A second Sec-WebSocket-Version line makes the value list "13, 8", which is not 13.
  EXPECT_EQ(client.Handshake("/echo", {"Sec-WebSocket-Version: 8"}, &head, &body), 426);
  EXPECT_THAT(head, HasSubstr("Sec-WebSocket-Version: 13\r\n"));
  EXPECT_THAT(body, HasSubstr("only 13"));
  EXPECT_EQ(observed_.Socket(0), nullptr);
}

TEST_F(WebSocketServerTest, SilentClientIsPinged) {
  WebSocketOptions options;
  options.ping_interval = 50 * time::kMillisecond;
  options.idle_timeout = 60 * time::kSecond;
  StartServer(options);
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  std::optional<WebSocketMessage> ping = client.Read();
  ASSERT_TRUE(ping.has_value());
  EXPECT_EQ(ping->opcode, WebSocketOpcode::kPing);
}

TEST_F(WebSocketServerTest, ClientThatNeverAnswersIsClosedAfterIdleTimeout) {
  WebSocketOptions options;
  options.ping_interval = 20 * time::kMillisecond;
  options.idle_timeout = 100 * time::kMillisecond;
  StartServer(options);
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  EXPECT_TRUE(client.WaitForEof());
  EXPECT_TRUE(
      WaitFor([&] { return observed_.Closes() == std::vector<uint16_t>{kCloseGoingAway}; }));
}

TEST_F(WebSocketServerTest, SlowClientMakesSendReportAFullBuffer) {
  WebSocketOptions options;
  options.max_send_buffer_bytes = 64 * 1024;
  StartServer(options);
  WebSocketClient client(server_->port(), /*receive_buffer=*/4096);
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(WaitFor([&] { return observed_.Socket(0) != nullptr; }));
  std::shared_ptr<WebSocket> socket = observed_.Socket(0);
  const std::string message(16 * 1024, 'm');
  size_t sent = 0;
  Status last;
  // The client reads nothing: once the kernel buffers are full, the send buffer fills.
  ASSERT_TRUE(WaitFor([&] {
    last = socket->SendText(message);
    if (last.ok()) ++sent;
    return last.code() == StatusCode::kResourceExhausted || sent > 100'000;
  }));
  EXPECT_EQ(last.code(), StatusCode::kResourceExhausted) << last.ToString();
  EXPECT_THAT(last.message(), HasSubstr("slow client"));
  EXPECT_LE(socket->buffered_bytes(), options.max_send_buffer_bytes + message.size() + 16);
}

TEST_F(WebSocketServerTest, ShutdownSendsClose1001) {
  StartServer();
  WebSocketClient client(server_->port());
  ASSERT_EQ(client.Handshake("/echo"), 101);
  ASSERT_TRUE(WaitFor([&] { return observed_.Socket(0) != nullptr; }));
  server_->BeginShutdown();
  std::optional<WebSocketMessage> close = client.Read();
  ASSERT_TRUE(close.has_value());
  EXPECT_EQ(close->opcode, WebSocketOpcode::kClose);
  EXPECT_EQ(close->close_code, kCloseGoingAway);
  EXPECT_TRUE(client.WaitForEof());
  client.Close();  // the server lingers until the client's FIN
  EXPECT_TRUE(server_->Shutdown());
  server_.reset();
  EXPECT_EQ(observed_.Closes(), std::vector<uint16_t>{kCloseGoingAway});
}

}  // namespace
}  // namespace silt::http
