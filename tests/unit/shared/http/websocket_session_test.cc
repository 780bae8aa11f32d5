#include "shared/http/websocket_session.h"

#include <gtest/gtest.h>

#include "shared/http/websocket_frame_encoder.h"

namespace silt::http {
namespace {

std::string Masked(WebSocketOpcode opcode, std::string_view payload) {
  std::string frame;
  AppendMaskedWebSocketFrame(opcode, payload, 0x01020304, &frame);
  return frame;
}

// What the server wrote, as messages.
std::vector<WebSocketMessage> Written(std::string_view bytes) {
  WebSocketFrameParser client(WebSocketParserLimits{.require_mask = false});
  std::vector<WebSocketMessage> out;
  client.Feed(bytes, &out);
  return out;
}

struct Recorder {
  std::vector<std::string> messages;
  std::vector<uint16_t> closes;
  WebSocketOptions Options() {
    WebSocketOptions options;
    options.ping_interval = 10 * time::kSecond;
    options.idle_timeout = 30 * time::kSecond;
    options.on_message = [this](const WebSocketMessage& m) { messages.push_back(m.payload); };
    options.on_close = [this](uint16_t code, std::string_view) { closes.push_back(code); };
    return options;
  }
};

TEST(WebSocketSessionTest, MessagesReachOnMessage) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  EXPECT_FALSE(session.OnInput(Masked(WebSocketOpcode::kText, "hi"), 1, &out));
  EXPECT_EQ(recorder.messages, std::vector<std::string>{"hi"});
  EXPECT_TRUE(out.empty());
}

TEST(WebSocketSessionTest, PingIsAnsweredWithPongOfTheSamePayload) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  EXPECT_FALSE(session.OnInput(Masked(WebSocketOpcode::kPing, "abc"), 1, &out));
  auto written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].opcode, WebSocketOpcode::kPong);
  EXPECT_EQ(written[0].payload, "abc");
}

TEST(WebSocketSessionTest, ClientCloseIsEchoedAndReportedOnce) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  EXPECT_TRUE(
      session.OnInput(Masked(WebSocketOpcode::kClose, std::string("\x0B\xB8", 2)), 1, &out));
  auto written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].close_code, 3000);
  session.Abort();
  EXPECT_EQ(recorder.closes, std::vector<uint16_t>{3000});
}

TEST(WebSocketSessionTest, ProtocolErrorSendsCloseWithItsCode) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  std::string unmasked;
  AppendWebSocketFrame(WebSocketOpcode::kText, "x", &unmasked);
  EXPECT_TRUE(session.OnInput(unmasked, 1, &out));
  auto written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].close_code, kCloseProtocolError);
  EXPECT_EQ(recorder.closes, std::vector<uint16_t>{kCloseProtocolError});
}

TEST(WebSocketSessionTest, SilentClientIsPingedThenClosedAfterIdleTimeout) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  EXPECT_EQ(session.NextTimerMs(), 10'000u);
  std::string out;
  EXPECT_FALSE(session.OnTimer(10'000, &out));
  auto written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].opcode, WebSocketOpcode::kPing);
  EXPECT_EQ(session.NextTimerMs(), 30'000u);
  out.clear();
  EXPECT_TRUE(session.OnTimer(30'000, &out));
  written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].close_code, kCloseGoingAway);
  EXPECT_EQ(recorder.closes, std::vector<uint16_t>{kCloseGoingAway});
}

TEST(WebSocketSessionTest, PongKeepsTheClientAlive) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  EXPECT_FALSE(session.OnTimer(10'000, &out));
  EXPECT_FALSE(session.OnInput(Masked(WebSocketOpcode::kPong, "silt"), 25'000, &out));
  EXPECT_EQ(session.NextTimerMs(), 35'000u);
  EXPECT_FALSE(session.OnTimer(30'000, &out));
  EXPECT_TRUE(recorder.closes.empty());
}

TEST(WebSocketSessionTest, ServerCloseIsSentOnceAndAbortAfterItChangesNothing) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  std::string out;
  session.Close(kCloseGoingAway, "server shutting down", &out);
  session.Close(kCloseNormal, "again", &out);
  session.Abort();
  auto written = Written(out);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].payload, "server shutting down");
  EXPECT_EQ(recorder.closes, std::vector<uint16_t>{kCloseGoingAway});
}

TEST(WebSocketSessionTest, AbortReports1006) {
  Recorder recorder;
  WebSocketSession session(recorder.Options(), 0);
  session.Abort();
  EXPECT_EQ(recorder.closes, std::vector<uint16_t>{kCloseAbnormal});
}

}  // namespace
}  // namespace silt::http
