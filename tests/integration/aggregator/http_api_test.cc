// The Loki HTTP API of the real silt-aggregator binary (port 0, temp dir): entries arrive through
// a test agent, then the real curl reads them back through every endpoint and the JSON is
// checked field by field against Loki's documented shapes (docs/http-api.md). Also keep-alive,
// pipelining on a raw socket, Loki's error statuses and a clean SIGTERM.
#include <signal.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/integration/aggregator/curl_runner.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt {
namespace {

using protocol::FrameType;
using server::testing::AgentTestClient;
using ::silt::http::testing::RawClient;
using ::silt::http::testing::RawResponse;
using ::silt::http::testing::RunCurl;
using ::silt::testing::CurlResult;
using ::testing::HasSubstr;

constexpr int64_t kTs = 1'700'000'000'000'000'000;  // 2023-11-14T22:13:20Z
const char* const kRange = "start=1699999990&end=1700000100";

class HttpApiTest : public silt::testing::AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    const int agent_port = StartServer();
    ASSERT_NE(agent_port, 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
    AgentTestClient& agent = Connect(agent_port);
    agent.SendHello("agent-http");
    ASSERT_GE(agent.WaitFor(FrameType::kWelcome), 0);
    agent.SendBatch(1, 77, 0, {"GET /a 200", "GET /b 500", "POST /c 200"}, kTs);
    ASSERT_GE(agent.WaitFor(FrameType::kAck), 0);
  }

  std::string Url(const std::string& path) const {
    return silt::testing::LocalUrl(http_port_, path);
  }

  // curl with `args`; the body and the status code.
  CurlResult Curl(std::vector<std::string> args) {
    return silt::testing::Curl(dir_.Path("curl-body"), std::move(args));
  }
  CurlResult Get(const std::string& path, std::vector<std::string> args = {}) {
    args.push_back(Url(path));
    return Curl(std::move(args));
  }
  // GET with `params` url-encoded by curl (-G --data-urlencode).
  CurlResult GetEncoded(const std::string& path, const std::vector<std::string>& params) {
    std::vector<std::string> args = {"-G"};
    for (const std::string& p : params) {
      args.push_back("--data-urlencode");
      args.push_back(p);
    }
    args.push_back(Url(path));
    return Curl(std::move(args));
  }

  simdjson::dom::element Parse(const std::string& body) {
    padded_ = simdjson::padded_string(body);
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(padded_).get(root), simdjson::SUCCESS) << body;
    return root;
  }
  static std::string Str(simdjson::dom::element e) { return std::string(e.get_string().value()); }
  static size_t Size(simdjson::dom::element e) { return simdjson::dom::array(e).size(); }

  int http_port_ = 0;
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
};

TEST_F(HttpApiTest, ReadyAfterStartAndListeningBeforeRecovery) {
  CurlResult r = Get("/ready");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ready\n");
  // The HTTP listener comes up before the engine recovers (the agent listener waits for it).
  const std::string log = ServerLog();
  const size_t http = log.find("msg=\"http listener ready\"");
  const size_t agent = log.find("msg=\"agent listener ready\"");
  ASSERT_NE(http, std::string::npos);
  ASSERT_NE(agent, std::string::npos);
  EXPECT_LT(http, agent);
}

TEST_F(HttpApiTest, QueryRangeReturnsLokisStreamsShape) {
  CurlResult r = GetEncoded(
      "/loki/api/v1/query_range",
      {"query={job=\"test\"} |= \"GET\"", "start=1699999990", "end=1700000100", "limit=10"});
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(Str(root["status"]), "success");
  simdjson::dom::element data = root["data"];
  EXPECT_EQ(Str(data["resultType"]), "streams");
  simdjson::dom::array result = data["result"].get_array();
  ASSERT_EQ(result.size(), 1u);
  EXPECT_EQ(Str(result.at(0)["stream"]["job"]), "test");
  simdjson::dom::array values = result.at(0)["values"].get_array();
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(Str(values.at(0).at(0)), std::to_string(kTs + 1));  // backward: newest first
  EXPECT_EQ(Str(values.at(0).at(1)), "GET /b 500");
  EXPECT_EQ(Str(values.at(1).at(1)), "GET /a 200");
  simdjson::dom::element summary = data["stats"]["summary"];
  EXPECT_TRUE(simdjson::dom::element(summary["totalLinesProcessed"]).is_int64());
  EXPECT_TRUE(simdjson::dom::element(summary["execTime"]).is_number());
  EXPECT_TRUE(simdjson::dom::element(data["stats"]["querier"]["store"]).is_object());
}

TEST_F(HttpApiTest, QueryRangeMetricQueryReturnsMatrix) {
  CurlResult r = GetEncoded("/loki/api/v1/query_range",
                            {"query=sum by (job) (count_over_time({job=\"test\"}[1m]))",
                             "start=1700000000", "end=1700000060", "step=30s"});
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element data = Parse(r.body)["data"];
  EXPECT_EQ(Str(data["resultType"]), "matrix");
  simdjson::dom::element series = data["result"].at(0);
  EXPECT_EQ(Str(series["metric"]["job"]), "test");
  simdjson::dom::array values = series["values"].get_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(int64_t(values.at(1).at(0).get_int64()), 1700000030);
  EXPECT_EQ(Str(values.at(1).at(1)), "3");
}

TEST_F(HttpApiTest, InstantQueryReturnsVector) {
  CurlResult r =
      GetEncoded("/loki/api/v1/query",
                 {"query=count_over_time({job=\"test\"} |= \"200\" [5m])", "time=1700000060"});
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element data = Parse(r.body)["data"];
  EXPECT_EQ(Str(data["resultType"]), "vector");
  simdjson::dom::element sample = data["result"].at(0);
  EXPECT_EQ(Str(sample["metric"]["job"]), "test");
  EXPECT_EQ(int64_t(sample["value"].at(0).get_int64()), 1700000060);
  EXPECT_EQ(Str(sample["value"].at(1)), "2");
}

TEST_F(HttpApiTest, LabelsAndLabelValues) {
  CurlResult labels = Get(std::string("/loki/api/v1/labels?") + kRange);
  ASSERT_EQ(labels.status, 200) << labels.body;
  simdjson::dom::element root = Parse(labels.body);
  EXPECT_EQ(Str(root["status"]), "success");
  ASSERT_EQ(Size(root["data"]), 1u);
  EXPECT_EQ(Str(root["data"].at(0)), "job");
  CurlResult values = Get(std::string("/loki/api/v1/label/job/values?") + kRange);
  ASSERT_EQ(values.status, 200) << values.body;
  simdjson::dom::element v = Parse(values.body);
  EXPECT_EQ(Str(v["status"]), "success");
  ASSERT_EQ(Size(v["data"]), 1u);
  EXPECT_EQ(Str(v["data"].at(0)), "test");
}

TEST_F(HttpApiTest, SeriesByGetAndByPostForm) {
  CurlResult get = GetEncoded("/loki/api/v1/series",
                              {"match[]={job=\"test\"}", "start=1699999990", "end=1700000100"});
  ASSERT_EQ(get.status, 200) << get.body;
  simdjson::dom::element root = Parse(get.body);
  EXPECT_EQ(Str(root["status"]), "success");
  ASSERT_EQ(Size(root["data"]), 1u);
  EXPECT_EQ(Str(root["data"].at(0)["job"]), "test");
  CurlResult post =
      Curl({"--data-urlencode", "match[]={job=~\"te.*\"}", "--data-urlencode", "start=1699999990",
            "--data-urlencode", "end=1700000100", Url("/loki/api/v1/series")});
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(post.body, get.body);
}

TEST_F(HttpApiTest, IndexStatsCountsTheStream) {
  CurlResult r = GetEncoded("/loki/api/v1/index/stats",
                            {"query={job=\"test\"}", "start=1699999990", "end=1700000100"});
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(uint64_t(root["streams"].get_uint64()), 1u);
  EXPECT_EQ(uint64_t(root["chunks"].get_uint64()), 1u);
  EXPECT_EQ(uint64_t(root["entries"].get_uint64()), 3u);
  EXPECT_EQ(uint64_t(root["bytes"].get_uint64()), 10u + 10 + 11);
}

TEST_F(HttpApiTest, MetricsConfigAndBuildInfo) {
  ASSERT_EQ(Get("/labels").status, 404);  // counted below as unmatched
  CurlResult metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, HasSubstr("silt_engine_entries_accepted_total 3\n"));
  EXPECT_THAT(metrics.body, HasSubstr("silt_engine_head_bytes "));
  EXPECT_THAT(metrics.body, HasSubstr("silt_http_requests_total{"));

  CurlResult config = Get("/config");
  ASSERT_EQ(config.status, 200);
  EXPECT_THAT(config.body, HasSubstr("data_dir: " + dir_.Path("data")));
  EXPECT_THAT(config.body, HasSubstr("listen: 127.0.0.1:0"));
  EXPECT_THAT(config.body, HasSubstr("max_entries_limit_per_query: 5000"));

  CurlResult build = Get("/loki/api/v1/status/buildinfo");
  ASSERT_EQ(build.status, 200);
  simdjson::dom::element root = Parse(build.body);
  for (const char* field :
       {"version", "revision", "branch", "buildUser", "buildDate", "goVersion"}) {
    EXPECT_TRUE(simdjson::dom::element(root[field]).is_string()) << field << " in " << build.body;
  }
  EXPECT_NE(Str(root["version"]), "unknown");
}

TEST_F(HttpApiTest, KeepAliveServesTwoRequestsOnOneConnection) {
  int rc = 0;
  const std::string out =
      RunCurl({"-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_code} %{num_connects}\\n",
               Url("/ready"), Url("/loki/api/v1/labels")},
              &rc);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(out, "200 1\n200 0\n");
}

TEST_F(HttpApiTest, PipelinedRequestsAreAnsweredInOrder) {
  RawClient client(http_port_);
  ASSERT_TRUE(client.connected());
  const std::string range = std::string("?") + kRange;
  ASSERT_TRUE(client.Send("GET /loki/api/v1/label/job/values" + range +
                          " HTTP/1.1\r\nHost: t\r\n\r\n"
                          "GET /loki/api/v1/nothing HTTP/1.1\r\nHost: t\r\n\r\n"
                          "GET /loki/api/v1/labels" +
                          range + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  std::optional<RawResponse> first = client.ReadResponse();
  std::optional<RawResponse> second = client.ReadResponse();
  std::optional<RawResponse> third = client.ReadResponse();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->body, R"({"status":"success","data":["test"]})");
  EXPECT_EQ(second->status, 404);
  EXPECT_EQ(third->body, R"({"status":"success","data":["job"]})");
}

TEST_F(HttpApiTest, BadRequestsGetLokisStatusAndMessage) {
  CurlResult missing = Get("/loki/api/v1/query_range");
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(missing.body, HasSubstr("query is required"));
  CurlResult time = GetEncoded("/loki/api/v1/query_range", {"query={job=\"test\"}", "end=noon"});
  EXPECT_EQ(time.status, 400);
  EXPECT_THAT(time.body, HasSubstr("end"));
  CurlResult direction =
      GetEncoded("/loki/api/v1/query_range", {"query={job=\"test\"}", "direction=up"});
  EXPECT_EQ(direction.status, 400);
  EXPECT_THAT(direction.body, HasSubstr("invalid direction 'up'"));
  CurlResult limit = GetEncoded("/loki/api/v1/query_range", {"query={job=\"test\"}", "limit=5001"});
  EXPECT_EQ(limit.status, 400);
  EXPECT_THAT(limit.body, HasSubstr("max entries limit per query exceeded"));
  CurlResult parse = GetEncoded("/loki/api/v1/query", {"query={job=\"test\"} |= "});
  EXPECT_EQ(parse.status, 400);
  EXPECT_THAT(parse.body, HasSubstr("parse error at line 1, col"));
  CurlResult tenant = Get("/loki/api/v1/labels", {"-H", "X-Scope-OrgID: a/b"});
  EXPECT_EQ(tenant.status, 400);
  EXPECT_THAT(tenant.body, HasSubstr("X-Scope-OrgID"));
  EXPECT_EQ(Get("/loki/api/v1/nothing").status, 404);
  EXPECT_EQ(Get("/loki/api/v1/labels", {"-X", "DELETE"}).status, 405);
  EXPECT_EQ(Get("/ready").status, 200);  // still up
}

TEST_F(HttpApiTest, OtherTenantSeesNothing) {
  CurlResult r = Get(std::string("/loki/api/v1/labels?") + kRange, {"-H", "X-Scope-OrgID: team-b"});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":[]})");
}

TEST_F(HttpApiTest, SigtermStopsTheHttpListenerCleanly) {
  server_.Signal(SIGTERM);
  EXPECT_EQ(server_.Terminate(), 0) << ServerLog();
  EXPECT_THAT(ServerLog(), HasSubstr("http listener stopped"));
  int rc = 0;
  RunCurl({Url("/ready")}, &rc);
  EXPECT_NE(rc, 0);  // nothing listens any more
}

}  // namespace
}  // namespace silt
