// The syslog listeners of the real silt-aggregator binary (docs/syslog.md): the real `logger`
// (util-linux) sends RFC 5424 and RFC 3164 over TCP (octet counting and LF framing) and UDP; a
// raw socket sends what logger cannot (an exact timestamp, garbage, a frame cut by EOF). Each
// test waits until the server logs that the entries are stored, stops it (SIGTERM, a clean
// drain) and reads them back with `silt-aggregator dump`.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <simdjson.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/time/timestamp.h"
#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"

namespace silt::testing {
namespace {

using agent::testing::RunProgram;
using agent::testing::WaitFor;
using ::testing::HasSubstr;

struct Stored {
  std::map<std::string, std::string> labels;
  int64_t ts = 0;
  std::string line;
  std::map<std::string, std::string> metadata;
};

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Hostname() {
  char name[256] = {};
  ::gethostname(name, sizeof(name) - 1);
  return name;
}

class SyslogTest : public AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    WriteConfig("log_level: debug\n",
                "  tcp_listen: 127.0.0.1:0\n  udp_listen: 127.0.0.1:0\n"
                "  labels:\n    job: syslog\n");
    ASSERT_NE(StartServer(), 0);
    tcp_port_ = PortOf("tcp");
    udp_port_ = PortOf("udp");
    ASSERT_NE(tcp_port_, 0) << ServerLog();
    ASSERT_NE(udp_port_, 0) << ServerLog();
  }

  int PortOf(const std::string& transport) {
    const std::string ready =
        "msg=\"syslog listener ready\" transport=" + transport + " address=127.0.0.1:";
    std::string text;
    size_t at = std::string::npos;
    WaitFor([&] {
      text = ServerLog();
      at = text.find(ready);
      return at != std::string::npos;
    });
    return at == std::string::npos ? 0 : std::atoi(text.c_str() + at + ready.size());
  }

  // Runs logger with `args` against the server; true when it exited 0.
  bool Logger(const std::string& transport, std::vector<std::string> args) {
    std::vector<std::string> argv = {"/usr/bin/logger", "--server", "127.0.0.1", "--port",
                                     std::to_string(transport == "udp" ? udp_port_ : tcp_port_)};
    argv.push_back(transport == "udp" ? "--udp" : "--tcp");
    argv.insert(argv.end(), args.begin(), args.end());
    std::string output;
    const int rc = RunProgram(argv, &output);
    EXPECT_EQ(rc, 0) << output;
    return rc == 0;
  }

  // Sends `bytes` on one TCP connection and closes it.
  void SendTcp(const std::string& bytes) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(tcp_port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), 0), static_cast<ssize_t>(bytes.size()));
    ::close(fd);
  }

  // Waits until the server logged `n` stored entries in total.
  bool WaitStored(size_t n) {
    const std::string key = "msg=\"syslog entries stored\" accepted=";
    return WaitFor([&] {
      const std::string text = ServerLog();
      size_t total = 0;
      for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at + 1)) {
        total += std::strtoull(text.c_str() + at + key.size(), nullptr, 10);
      }
      return total >= n;
    });
  }

  // Stops the server and returns every stored entry of tenant fake.
  std::vector<Stored> StopAndDump() {
    EXPECT_EQ(server_.Terminate(), 0) << ServerLog();
    int rc = -1;
    std::string output;
    DumpLines(&rc, &output);
    EXPECT_EQ(rc, 0) << output;
    std::vector<Stored> stored;
    simdjson::dom::parser parser;
    std::istringstream in(output);
    for (std::string row; std::getline(in, row);) {
      if (!row.starts_with("{\"tenant\":\"fake\"")) continue;
      simdjson::dom::element doc;
      if (parser.parse(row).get(doc) != simdjson::SUCCESS) continue;
      Stored s;
      s.line = std::string(std::string_view(doc["line"]));
      s.ts = std::atoll(std::string(std::string_view(doc["ts"])).c_str());
      ParseLabels(std::string(std::string_view(doc["labels"])), &s.labels);
      simdjson::dom::object metadata;
      if (doc["metadata"].get(metadata) == simdjson::SUCCESS) {
        for (auto field : metadata) {
          s.metadata[std::string(field.key)] = std::string(std::string_view(field.value));
        }
      }
      stored.push_back(std::move(s));
    }
    return stored;
  }

  // {a="x", b="y"} (values without escapes in these tests) into a map.
  static void ParseLabels(const std::string& text, std::map<std::string, std::string>* out) {
    size_t at = 1;
    while (at < text.size()) {
      const size_t eq = text.find("=\"", at);
      if (eq == std::string::npos) break;
      const size_t close = text.find('"', eq + 2);
      (*out)[text.substr(at, eq - at)] = text.substr(eq + 2, close - eq - 2);
      at = close + 3;  // past `", `
    }
  }

  static const Stored* Find(const std::vector<Stored>& stored, const std::string& line) {
    for (const Stored& s : stored) {
      if (s.line == line) return &s;
    }
    return nullptr;
  }

  int tcp_port_ = 0;
  int udp_port_ = 0;
};

TEST_F(SyslogTest, LoggerRfc5424OverTcpWithOctetCounting) {
  const int64_t before = NowNs();
  ASSERT_TRUE(Logger(
      "tcp", {"--octet-count", "--rfc5424", "-t", "myapp", "--msgid", "M1", "--sd-id", "zoo@123",
              "--sd-param", "tiger=\"hungry\"", "-p", "local3.warning", "hello 5424"}));
  const int64_t after = NowNs();
  ASSERT_TRUE(WaitStored(1)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  const Stored* s = Find(stored, "hello 5424");
  ASSERT_NE(s, nullptr) << ServerLog();
  EXPECT_EQ(s->labels.at("app"), "myapp");
  EXPECT_EQ(s->labels.at("facility"), "local3");
  EXPECT_EQ(s->labels.at("level"), "warning");
  EXPECT_EQ(s->labels.at("host"), Hostname());
  EXPECT_EQ(s->labels.at("job"), "syslog");
  EXPECT_EQ(s->metadata.at("msgid"), "M1");
  EXPECT_EQ(s->metadata.at("zoo_123_tiger"), "hungry");
  EXPECT_EQ(s->metadata.at("timeQuality_tzKnown"), "1");
  // logger stamps microseconds: the stored time is its, not a receive time in nanoseconds.
  EXPECT_GE(s->ts, before - 1'000'000);
  EXPECT_LE(s->ts, after);
  EXPECT_EQ(s->ts % 1000, 0);
}

TEST_F(SyslogTest, LoggerRfc5424OverTcpWithLineFeeds) {
  ASSERT_TRUE(Logger("tcp", {"--rfc5424", "-t", "lfapp", "-p", "daemon.err", "hello lf"}));
  ASSERT_TRUE(WaitStored(1)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  const Stored* s = Find(stored, "hello lf");
  ASSERT_NE(s, nullptr) << ServerLog();
  EXPECT_EQ(s->labels.at("app"), "lfapp");
  EXPECT_EQ(s->labels.at("facility"), "daemon");
  EXPECT_EQ(s->labels.at("level"), "error");
}

TEST_F(SyslogTest, LoggerRfc3164OverTcp) {
  const int64_t before = NowNs();
  ASSERT_TRUE(Logger("tcp", {"--rfc3164", "-t", "bsd", "-i", "-p", "auth.notice", "hello 3164"}));
  const int64_t after = NowNs();
  ASSERT_TRUE(WaitStored(1)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  const Stored* s = Find(stored, "hello 3164");
  ASSERT_NE(s, nullptr) << ServerLog();
  EXPECT_EQ(s->labels.at("app"), "bsd");
  EXPECT_EQ(s->labels.at("facility"), "auth");
  EXPECT_EQ(s->labels.at("level"), "notice");
  EXPECT_EQ(s->labels.at("host"), Hostname());
  EXPECT_FALSE(s->metadata.at("procid").empty());
  // Whole seconds in the receiver's zone and year.
  EXPECT_EQ(s->ts % 1'000'000'000, 0);
  EXPECT_GE(s->ts, before - 1'000'000'000);
  EXPECT_LE(s->ts, after);
}

TEST_F(SyslogTest, LoggerOverUdpBothFormats) {
  ASSERT_TRUE(Logger("udp", {"--rfc5424", "-t", "u5", "udp 5424"}));
  ASSERT_TRUE(Logger("udp", {"--rfc3164", "-t", "u3", "udp 3164"}));
  ASSERT_TRUE(WaitStored(2)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  const Stored* a = Find(stored, "udp 5424");
  const Stored* b = Find(stored, "udp 3164");
  ASSERT_NE(a, nullptr) << ServerLog();
  ASSERT_NE(b, nullptr) << ServerLog();
  EXPECT_EQ(a->labels.at("app"), "u5");
  EXPECT_EQ(b->labels.at("app"), "u3");
  EXPECT_EQ(b->labels.at("level"), "notice");  // logger's default user.notice
  EXPECT_EQ(b->labels.at("facility"), "user");
}

TEST_F(SyslogTest, ExactTimestampGarbageAndTrailingPartialFrame) {
  const std::string exact = "<14>1 2026-12-06T01:02:03.123456789+02:00 web1 app 7 - - exact";
  SendTcp(std::to_string(exact.size()) + " " + exact + "garbage line\n" +
          "<14>1 - web1 app - - - cut at eof");
  ASSERT_TRUE(WaitStored(3)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  const Stored* s = Find(stored, "exact");
  ASSERT_NE(s, nullptr) << ServerLog();
  EXPECT_EQ(s->ts, *time::ParseRfc3339("2026-12-05T23:02:03.123456789Z"));
  EXPECT_EQ(s->labels.at("host"), "web1");
  EXPECT_EQ(s->metadata.at("procid"), "7");
  const Stored* raw = Find(stored, "garbage line");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(raw->labels.at("host"), "127.0.0.1");
  EXPECT_EQ(raw->labels.count("level"), 0u);
  EXPECT_THAT(raw->metadata.at("syslog_error"), HasSubstr("PRI"));
  EXPECT_NE(Find(stored, "cut at eof"), nullptr);
}

TEST_F(SyslogTest, OverlongOctetCountIsRefusedAndTheConnectionGoesOn) {
  const std::string ok = "<14>1 - web1 app - - - still here";
  SendTcp("70000 " + std::string(70000, 'x') + std::to_string(ok.size()) + " " + ok);
  ASSERT_TRUE(WaitStored(1)) << ServerLog();
  std::vector<Stored> stored = StopAndDump();
  EXPECT_NE(Find(stored, "still here"), nullptr);
  EXPECT_EQ(stored.size(), 1u);
  EXPECT_THAT(ServerLog(),
              HasSubstr("syslog message refused: longer than syslog.max_message_size"));
}

TEST_F(SyslogTest, LostFramingClosesTheConnectionKeepingWhatCameBefore) {
  SendTcp("<14>1 - web1 app - - - first\n12345678901 oops\n<14>1 - web1 app - - - never\n");
  ASSERT_TRUE(WaitStored(1)) << ServerLog();
  ASSERT_TRUE(
      WaitFor([&] { return ServerLog().find("syslog framing lost") != std::string::npos; }));
  std::vector<Stored> stored = StopAndDump();
  EXPECT_NE(Find(stored, "first"), nullptr);
  EXPECT_EQ(Find(stored, "never"), nullptr);
}

}  // namespace
}  // namespace silt::testing
