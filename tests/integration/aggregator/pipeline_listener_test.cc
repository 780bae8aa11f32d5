// Ingest pipelines attached to the listeners of the real silt-aggregator binary (port 0, temp
// dir; docs/pipelines.md "Attaching a pipeline"): the real `logger` sends syslog whose logfmt
// body promotes a label, curl pushes Loki JSON whose line sets the label, the timestamp and the
// stored line, a drop stage removes health checks, and query_range reads the result back. Also:
// /config shows both pipelines, /metrics counts the results, and --check-config reports a bad
// stage at file:line:column.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "shared/time/timestamp.h"
#include "tests/integration/agent/agent_harness.h"
#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/integration/aggregator/curl_runner.h"

namespace silt::testing {
namespace {

using ::testing::HasSubstr;

// One stream of a query_range answer.
struct QueriedStream {
  std::map<std::string, std::string> labels;
  std::vector<std::pair<int64_t, std::string>> values;  // (ns, line)
};

int64_t NowNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kPipelines =
    "http:\n"
    "  listen: 127.0.0.1:0\n"
    "  push:\n"
    "    pipeline:\n"
    "      - drop: {expression: '^GET /healthz'}\n"
    "      - json: {fields: {ts: time, level: level, msg: msg}}\n"
    "      - labels: {names: [level]}\n"
    "      - timestamp: {source: ts, format: RFC3339Nano}\n"
    "      - output: {source: msg}\n"
    "agent_listener:\n"
    "  listen: 127.0.0.1:0\n"
    "syslog:\n"
    "  tcp_listen: 127.0.0.1:0\n"
    "  udp_listen: ''\n"
    "  labels: {job: syslog}\n"
    "  pipeline:\n"
    "    - logfmt: {}\n"
    "    - labels: {names: [component]}\n"
    "    - structured_metadata: {names: [user]}\n";

class PipelineListenerTest : public AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    WriteFile("aggregator.yaml",
              "data_dir: " + dir_.Path("data") + "\nlog_level: debug\n" + kPipelines);
    ASSERT_NE(StartServer(), 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
    const std::string ready = "msg=\"syslog listener ready\" transport=tcp address=127.0.0.1:";
    std::string text;
    size_t at = std::string::npos;
    agent::testing::WaitFor([&] {
      text = ServerLog();
      at = text.find(ready);
      return at != std::string::npos;
    });
    ASSERT_NE(at, std::string::npos) << text;
    tcp_port_ = std::atoi(text.c_str() + at + ready.size());
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = dir_.Path(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(http_port_) + path;
  }

  CurlResult Curl(std::vector<std::string> args) {
    return silt::testing::Curl(dir_.Path("curl-body"), std::move(args));
  }

  CurlResult PushJson(const std::string& body) {
    const std::string file = WriteFile("push.json", body);
    return Curl({"-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@" + file,
                 Url("/loki/api/v1/push")});
  }

  // The streams query_range returns for `selector` over the last hour.
  std::vector<QueriedStream> Query(const std::string& selector) {
    CurlResult r =
        Curl({"-G", "--data-urlencode", "query=" + selector, "--data-urlencode", "since=1h",
              "--data-urlencode", "limit=1000", Url("/loki/api/v1/query_range")});
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<QueriedStream> streams;
    simdjson::dom::parser parser;
    simdjson::dom::element doc;
    if (parser.parse(r.body).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return streams;
    }
    for (simdjson::dom::element result : doc["data"]["result"].get_array()) {
      QueriedStream& stream = streams.emplace_back();
      for (auto [key, value] : result["stream"].get_object()) {
        stream.labels[std::string(key)] = std::string(value.get_string().value());
      }
      for (simdjson::dom::element value : result["values"].get_array()) {
        const std::string ts(value.at(0).get_string().value());
        stream.values.emplace_back(std::strtoll(ts.c_str(), nullptr, 10),
                                   std::string(value.at(1).get_string().value()));
      }
    }
    return streams;
  }

  // Polls query_range for `selector` until it returns `lines` entries in total.
  std::vector<QueriedStream> WaitForEntries(const std::string& selector, size_t lines) {
    std::vector<QueriedStream> streams;
    agent::testing::WaitFor([&] {
      streams = Query(selector);
      size_t n = 0;
      for (const QueriedStream& s : streams) n += s.values.size();
      return n >= lines;
    });
    return streams;
  }

  int http_port_ = 0;
  int tcp_port_ = 0;
};

TEST_F(PipelineListenerTest, SyslogFromLoggerGetsItsPromotedLabel) {
  std::string output;
  ASSERT_EQ(agent::testing::RunProgram({"/usr/bin/logger", "--server", "127.0.0.1", "--port",
                                        std::to_string(tcp_port_), "--tcp", "--rfc5424", "--tag",
                                        "billing", "component=db user=ann msg=\"slow query\""},
                                       &output),
            0)
      << output;
  ASSERT_EQ(agent::testing::RunProgram(
                {"/usr/bin/logger", "--server", "127.0.0.1", "--port", std::to_string(tcp_port_),
                 "--tcp", "--rfc5424", "--tag", "billing", "component=api msg=ok"},
                &output),
            0)
      << output;
  std::vector<QueriedStream> db = WaitForEntries(R"({job="syslog", component="db"})", 1);
  ASSERT_EQ(db.size(), 1u) << ServerLog();
  EXPECT_EQ(db[0].labels.at("app"), "billing");
  ASSERT_EQ(db[0].values.size(), 1u);
  EXPECT_EQ(db[0].values[0].second, "component=db user=ann msg=\"slow query\"");
  // user became structured metadata, not a stream label: a selector does not match it, a label
  // filter does.
  EXPECT_TRUE(Query(R"({job="syslog", user="ann"})").empty());
  std::vector<QueriedStream> ann = WaitForEntries(R"({job="syslog"} | user="ann")", 1);
  ASSERT_EQ(ann.size(), 1u);
  std::vector<QueriedStream> api = WaitForEntries(R"({job="syslog", component="api"})", 1);
  ASSERT_EQ(api.size(), 1u);
  EXPECT_EQ(api[0].values[0].second, "component=api msg=ok");
}

TEST_F(PipelineListenerTest, JsonPushGetsLabelTimestampAndLineFromThePipeline) {
  // A time five minutes ago, in the line: the pipeline makes it the entry's timestamp.
  const int64_t line_time = (NowNanos() / 1000 - int64_t{300'000'000}) * 1000 + 123;
  const std::string rfc3339 = time::FormatRfc3339Nano(line_time);
  const std::string now = std::to_string(NowNanos());
  const std::string body = R"({"streams":[{"stream":{"job":"api"},"values":[)"
                           R"([")" +
                           now + R"(","{\"time\":\")" + rfc3339 +
                           R"(\",\"level\":\"error\",\"msg\":\"boom\"}"],)"
                           R"([")" +
                           now +
                           R"(","GET /healthz 200"],)"
                           R"([")" +
                           now + R"(","{\"level\":\"info\",\"msg\":\"fine\"}"]]}]})";
  CurlResult r = PushJson(body);
  ASSERT_EQ(r.status, 204) << r.body;
  std::vector<QueriedStream> errors = WaitForEntries(R"({job="api", level="error"})", 1);
  ASSERT_EQ(errors.size(), 1u) << ServerLog();
  ASSERT_EQ(errors[0].values.size(), 1u);
  EXPECT_EQ(errors[0].values[0].first, line_time);
  EXPECT_EQ(errors[0].values[0].second, "boom");
  std::vector<QueriedStream> all = WaitForEntries(R"({job="api"})", 2);
  size_t entries = 0;
  for (const QueriedStream& s : all) {
    entries += s.values.size();
    for (const auto& [ts, line] : s.values) EXPECT_THAT(line, ::testing::Not(HasSubstr("healthz")));
  }
  EXPECT_EQ(entries, 2u);
  std::vector<QueriedStream> info = Query(R"({job="api", level="info"})");
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].values[0].second, "fine");
  CurlResult metrics = Curl({Url("/metrics")});
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(silt_pipeline_entries_total{listener="push",result="dropped"} 1)"));
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(silt_pipeline_entries_total{listener="push",result="kept"} 2)"));
}

TEST_F(PipelineListenerTest, PipelineTimestampTooOldIsRejectedAndTheRestStored) {
  const std::string now = std::to_string(NowNanos());
  const std::string body = R"({"streams":[{"stream":{"job":"old"},"values":[)"
                           R"([")" +
                           now +
                           R"(","{\"time\":\"2001-01-01T00:00:00Z\",\"msg\":\"ancient\"}"],)"
                           R"([")" +
                           now + R"(","{\"msg\":\"current\"}"]]}]})";
  CurlResult r = PushJson(body);
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("timestamp too old"));
  EXPECT_THAT(r.body, HasSubstr("1 of 2 entries rejected"));
  std::vector<QueriedStream> stored = WaitForEntries(R"({job="old"})", 1);
  ASSERT_EQ(stored.size(), 1u);
  ASSERT_EQ(stored[0].values.size(), 1u);
  EXPECT_EQ(stored[0].values[0].second, "current");
}

TEST_F(PipelineListenerTest, ConfigEndpointShowsBothPipelines) {
  CurlResult r = Curl({Url("/config")});
  ASSERT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("push:\n    pipeline:\n      - drop:"));
  EXPECT_THAT(r.body, HasSubstr("expression: ^GET /healthz"));
  EXPECT_THAT(r.body, HasSubstr("format: RFC3339Nano"));
  EXPECT_THAT(r.body, HasSubstr("names: [component]"));
}

TEST_F(PipelineListenerTest, PrintConfigShowsThePipelines) {
  std::string output;
  ASSERT_EQ(agent::testing::RunProgram({SILT_AGGREGATOR_BINARY, "--print-config", "--config",
                                        dir_.Path("aggregator.yaml")},
                                       &output),
            0)
      << output;
  EXPECT_THAT(output, HasSubstr("syslog:\n"));
  EXPECT_THAT(output, HasSubstr("  pipeline:\n    - logfmt:"));
  EXPECT_THAT(output, HasSubstr("names: [level]"));
  EXPECT_THAT(output, HasSubstr("source: msg"));
}

TEST_F(PipelineListenerTest, CheckConfigReportsABadStageAtLineAndColumn) {
  const std::string path = WriteFile(
      "bad.yaml", std::string("data_dir: ") + dir_.Path("data2") +
                      "\nsyslog:\n  pipeline:\n    - logfmt: {}\n    - regex: {expression: "
                      "'(?P<a>x'}\n    - lables: {names: [a]}\n");
  std::string output;
  const int rc = agent::testing::RunProgram(
      {SILT_AGGREGATOR_BINARY, "--check-config", "--config", path}, &output);
  EXPECT_EQ(rc, 2) << output;
  EXPECT_THAT(output, HasSubstr("bad.yaml:5:27: syslog.pipeline[1].regex.expression: invalid "
                                "regular expression"));
  EXPECT_THAT(output, HasSubstr("bad.yaml:6:7: syslog.pipeline[2]: unknown key \"lables\""));
}

}  // namespace
}  // namespace silt::testing
