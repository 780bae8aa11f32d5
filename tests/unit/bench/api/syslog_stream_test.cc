// api_bench's syslog stream: RFC 5424 messages framed per RFC 6587 (octet counting or LF), dealt
// round-robin to connections, and sent byte for byte to a listener.
#include "tests/bench/api/syslog_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

namespace silt::bench {
namespace {

// The messages of an octet-counted byte string; fails the test when a frame is malformed.
std::vector<std::string> OctetFrames(const std::string& bytes) {
  std::vector<std::string> messages;
  size_t at = 0;
  while (at < bytes.size()) {
    const size_t space = bytes.find(' ', at);
    EXPECT_NE(space, std::string::npos);
    if (space == std::string::npos) break;
    const size_t length = std::strtoull(bytes.c_str() + at, nullptr, 10);
    EXPECT_LE(space + 1 + length, bytes.size());
    messages.push_back(bytes.substr(space + 1, length));
    at = space + 1 + length;
  }
  return messages;
}

TEST(SyslogStreamTest, OctetCountingFramesEveryMessageWithItsLength) {
  Result<SyslogStream> stream = SyslogStream::Make(50, 1, /*octet_counting=*/true, 120);
  ASSERT_TRUE(stream.ok()) << stream.status();
  const std::vector<std::string> messages = OctetFrames(stream->bytes(0));
  ASSERT_EQ(messages.size(), 50u);
  uint64_t bytes = 0;
  for (const std::string& message : messages) {
    EXPECT_EQ(message.rfind("<", 0), 0u) << message;
    EXPECT_NE(message.find(">1 "), std::string::npos) << "not RFC 5424: " << message;
    EXPECT_EQ(message.find('\n'), std::string::npos);
    bytes += message.size();
  }
  EXPECT_EQ(bytes, stream->message_bytes());
}

TEST(SyslogStreamTest, LfFramingEndsEveryMessageWithOneLf) {
  Result<SyslogStream> stream = SyslogStream::Make(20, 1, /*octet_counting=*/false, 120);
  ASSERT_TRUE(stream.ok()) << stream.status();
  const std::string& bytes = stream->bytes(0);
  EXPECT_EQ(static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n')), 20u);
  EXPECT_EQ(bytes.back(), '\n');
  EXPECT_EQ(bytes.size(), stream->message_bytes() + 20);
}

TEST(SyslogStreamTest, MessagesAreDealtRoundRobinToConnections) {
  Result<SyslogStream> stream = SyslogStream::Make(10, 3, /*octet_counting=*/true, 120);
  ASSERT_TRUE(stream.ok()) << stream.status();
  ASSERT_EQ(stream->connections(), 3u);
  EXPECT_EQ(OctetFrames(stream->bytes(0)).size(), 4u);
  EXPECT_EQ(OctetFrames(stream->bytes(1)).size(), 3u);
  EXPECT_EQ(OctetFrames(stream->bytes(2)).size(), 3u);
  EXPECT_EQ(stream->messages(), 10u);
}

TEST(SyslogStreamTest, ZeroLinesOrConnectionsAreRefused) {
  EXPECT_EQ(SyslogStream::Make(0, 1, true, 120).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SyslogStream::Make(10, 0, true, 120).status().code(), StatusCode::kInvalidArgument);
}

TEST(SyslogStreamTest, SendDeliversEveryConnectionsBytes) {
  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(listener, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  ASSERT_EQ(::listen(listener, 8), 0);
  socklen_t length = sizeof(address);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  Result<SyslogStream> stream = SyslogStream::Make(1000, 2, /*octet_counting=*/true, 120);
  ASSERT_TRUE(stream.ok()) << stream.status();
  std::vector<std::string> received;
  std::thread acceptor([&] {
    for (int c = 0; c < 2; ++c) {
      const int fd = ::accept(listener, nullptr, nullptr);
      if (fd < 0) return;
      std::string bytes;
      char buffer[65536];
      for (ssize_t n; (n = ::read(fd, buffer, sizeof(buffer))) > 0;) bytes.append(buffer, n);
      ::close(fd);
      received.push_back(std::move(bytes));
    }
  });
  const Status sent = stream->Send(ntohs(address.sin_port));
  acceptor.join();
  ::close(listener);
  ASSERT_TRUE(sent.ok()) << sent;
  ASSERT_EQ(received.size(), 2u);
  // Connections are accepted in whatever order they arrive.
  if (received[0] != stream->bytes(0)) std::swap(received[0], received[1]);
  EXPECT_EQ(received[0], stream->bytes(0));
  EXPECT_EQ(received[1], stream->bytes(1));
}

TEST(SyslogStreamTest, SendToAClosedPortNamesTheConnection) {
  Result<SyslogStream> stream = SyslogStream::Make(1, 1, true, 120);
  ASSERT_TRUE(stream.ok());
  const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  ::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(probe);  // bound, never listened: the port refuses connections
  const Status sent = stream->Send(ntohs(address.sin_port));
  EXPECT_FALSE(sent.ok());
  EXPECT_NE(sent.ToString().find("syslog connection 0 to 127.0.0.1:"), std::string::npos) << sent;
}

}  // namespace
}  // namespace silt::bench
