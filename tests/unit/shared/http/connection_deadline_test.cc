// The timeout rules of an HTTP connection, as plain code: which one applies in each state and
// when it runs out.
#include "shared/http/connection_deadline.h"

#include <gtest/gtest.h>

namespace silt::http {
namespace {

ServerOptions Options() {
  ServerOptions options;
  options.header_timeout = 1 * time::kSecond;
  options.read_timeout = 2 * time::kSecond;
  options.keep_alive_timeout = 3 * time::kSecond;
  options.write_timeout = 4 * time::kSecond;
  return options;
}

TEST(ConnectionDeadlineTest, FirstRequestWaitsHeaderTimeoutThenKeepAliveTimeout) {
  ConnectionTimes times;
  times.idle_since_ms = 100;
  Deadline first = NextDeadline(Options(), times);
  EXPECT_EQ(first.kind, TimeoutKind::kIdle);
  EXPECT_EQ(first.at_ms, 1100u);
  times.requests_served = 1;
  EXPECT_EQ(NextDeadline(Options(), times).at_ms, 3100u);
}

TEST(ConnectionDeadlineTest, HeadersRunFromTheRequestsFirstByte) {
  ConnectionTimes times;
  times.phase = RequestParser::Phase::kHeaders;
  times.request_started_ms = 50;
  times.last_read_ms = 900;  // trickling bytes do not extend it (slowloris)
  const Deadline deadline = NextDeadline(Options(), times);
  EXPECT_EQ(deadline.kind, TimeoutKind::kHeaders);
  EXPECT_EQ(deadline.at_ms, 1050u);
}

TEST(ConnectionDeadlineTest, BodyRunsFromTheLastByteRead) {
  ConnectionTimes times;
  times.phase = RequestParser::Phase::kBody;
  times.last_read_ms = 500;
  const Deadline deadline = NextDeadline(Options(), times);
  EXPECT_EQ(deadline.kind, TimeoutKind::kBody);
  EXPECT_EQ(deadline.at_ms, 2500u);
}

TEST(ConnectionDeadlineTest, BufferedPipelinedInputIsNotIdle) {
  ConnectionTimes times;
  times.input_buffered = true;
  EXPECT_EQ(NextDeadline(Options(), times).kind, TimeoutKind::kNone);
}

TEST(ConnectionDeadlineTest, WaitingForAHandlerHasOnlyTheWriteTimeout) {
  ConnectionTimes times;
  times.waiting = true;
  EXPECT_EQ(NextDeadline(Options(), times).kind, TimeoutKind::kNone);
  times.writes_pending = true;
  times.last_write_ms = 10;
  const Deadline deadline = NextDeadline(Options(), times);
  EXPECT_EQ(deadline.kind, TimeoutKind::kWrite);
  EXPECT_EQ(deadline.at_ms, 4010u);
}

TEST(ConnectionDeadlineTest, EarlierWriteTimeoutWinsOverIdle) {
  ConnectionTimes times;
  times.requests_served = 1;
  times.writes_pending = true;
  EXPECT_EQ(NextDeadline(Options(), times).kind, TimeoutKind::kIdle);  // 3 s before 4 s
  times.idle_since_ms = 2000;
  EXPECT_EQ(NextDeadline(Options(), times).kind, TimeoutKind::kWrite);
}

TEST(ConnectionDeadlineTest, EndingConnectionHasOnlyTheWriteTimeout) {
  ConnectionTimes times;
  times.open = false;
  times.phase = RequestParser::Phase::kHeaders;
  EXPECT_EQ(NextDeadline(Options(), times).kind, TimeoutKind::kNone);
}

TEST(ConnectionDeadlineTest, WebSocketReplacesTheHttpTimeouts) {
  ConnectionTimes times;
  times.websocket = true;
  times.phase = RequestParser::Phase::kHeaders;
  times.websocket_due_ms = 30'000;
  const Deadline deadline = NextDeadline(Options(), times);
  EXPECT_EQ(deadline.kind, TimeoutKind::kWebSocket);
  EXPECT_EQ(deadline.at_ms, 30'000u);
}

}  // namespace
}  // namespace silt::http
