// Loki push and the WebSocket tail of the real silt-aggregator binary (port 0, temp dir): the real
// curl pushes JSON (plain and gzip) and simple JSON, query_range reads the entries back, a
// partially bad push keeps its valid entries, and a tail connected before a push receives the
// pushed line (docs/http-api.md "Push" and "Tail").
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/integration/aggregator/curl_runner.h"
#include "tests/support/websocket_client.h"

namespace silt {
namespace {

using ::silt::testing::CurlResult;
using ::testing::HasSubstr;

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class HttpIngestTest : public silt::testing::AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    ASSERT_NE(StartServer(), 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
  }

  std::string Url(const std::string& path) const {
    return silt::testing::LocalUrl(http_port_, path);
  }

  // curl with `args`; the body and the status code.
  CurlResult Curl(std::vector<std::string> args) {
    return silt::testing::Curl(dir_.Path("curl-body"), std::move(args));
  }

  CurlResult PostJson(const std::string& path, const std::string& file,
                      std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + file};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(Url(path));
    return Curl(std::move(args));
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.Path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // The lines query_range returns for `selector` over the last hour, in the answer's order.
  std::vector<std::string> Lines(const std::string& selector) {
    CurlResult r =
        Curl({"-G", "--data-urlencode", "query=" + selector, "--data-urlencode", "since=1h",
              "--data-urlencode", "limit=1000", Url("/loki/api/v1/query_range")});
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> lines;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.body).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return lines;
    }
    for (simdjson::dom::element stream : doc["data"]["result"].get_array()) {
      for (simdjson::dom::element value : stream["values"].get_array()) {
        lines.emplace_back(std::string_view(value.at(1).get_string().value()));
      }
    }
    return lines;
  }

  std::string PushBody(const std::string& job, const std::vector<std::string>& lines) {
    std::string body = "{\"streams\":[{\"stream\":{\"job\":\"" + job + "\"},\"values\":[";
    int64_t ts = NowNanos();
    for (size_t i = 0; i < lines.size(); ++i) {
      if (i > 0) body += ",";
      body += "[\"" + std::to_string(ts + static_cast<int64_t>(i)) + "\",\"" + lines[i] + "\"]";
    }
    return body + "]}]}";
  }

  int http_port_ = 0;
};

TEST_F(HttpIngestTest, JsonPushIsAnsweredWith204AndQueryable) {
  const std::string file = WriteFile("push.json", PushBody("push", {"first line", "second line"}));
  CurlResult r = PostJson("/loki/api/v1/push", file);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Lines("{job=\"push\"}"), ::testing::ElementsAre("second line", "first line"));
}

TEST_F(HttpIngestTest, GzipJsonPushIsDecoded) {
  const std::string file = WriteFile("push.json", PushBody("gz", {"compressed line"}));
  ASSERT_EQ(std::system(("gzip -f " + file).c_str()), 0);
  CurlResult r = PostJson("/loki/api/v1/push", file + ".gz", {"-H", "Content-Encoding: gzip"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Lines("{job=\"gz\"}"), ::testing::ElementsAre("compressed line"));
}

TEST_F(HttpIngestTest, SimpleLogsArrayIsStored) {
  const std::string file =
      WriteFile("logs.json",
                "[{\"message\":\"simple a\",\"labels\":{\"job\":\"simple\"}},"
                "{\"timestamp\":" +
                    std::to_string(NowNanos()) +
                    ",\"message\":\"simple b\",\"labels\":{\"job\":\"simple\"}}]");
  CurlResult r = PostJson("/api/v1/logs", file);
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Lines("{job=\"simple\"}"), ::testing::UnorderedElementsAre("simple a", "simple b"));
}

TEST_F(HttpIngestTest, PartlyInvalidPushKeepsTheValidEntries) {
  const std::string good = PushBody("mixed", {"kept line"});
  const std::string body = good.substr(0, good.size() - 2) +
                           ",{\"stream\":{\"bad-name\":\"x\"},\"values\":[[\"" +
                           std::to_string(NowNanos()) + "\",\"refused\"]]}]}";
  CurlResult r = PostJson("/loki/api/v1/push", WriteFile("mixed.json", body));
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("entries rejected"));
  EXPECT_THAT(Lines("{job=\"mixed\"}"), ::testing::ElementsAre("kept line"));
}

TEST_F(HttpIngestTest, TailReceivesALinePushedAfterItConnected) {
  silt::testing::WebSocketClient client(http_port_);
  ASSERT_TRUE(client.connected());
  std::string head;
  std::string body;
  ASSERT_EQ(client.Handshake("/loki/api/v1/tail?query=%7Bjob%3D%22live%22%7D", {}, &head, &body),
            101)
      << head << body;
  const std::string file = WriteFile("live.json", PushBody("live", {"pushed after connect"}));
  CurlResult r = PostJson("/loki/api/v1/push", file);
  ASSERT_EQ(r.status, 204) << r.body;
  std::optional<std::string> message = client.ReadText(20000);
  ASSERT_TRUE(message.has_value()) << ServerLog();
  EXPECT_THAT(*message, HasSubstr("\"pushed after connect\""));
  EXPECT_THAT(*message, HasSubstr("\"job\":\"live\""));
}

}  // namespace
}  // namespace silt
