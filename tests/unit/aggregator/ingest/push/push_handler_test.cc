// PushHandler end to end: the real curl binary posts Loki JSON (plain and gzip), Loki protobuf
// built from the generated classes, and simple JSON to a real HttpServer, and the entries are
// read back from the real StorageEngine.
#include "aggregator/ingest/push/push_handler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/unit/aggregator/ingest/push/push_proto_for_test.h"
#include "tests/unit/aggregator/ingest/push/push_server_fixture.h"
#include "tests/unit/shared/http/compress_for_test.h"

namespace silt::ingest {
namespace {

using ::silt::http::testing::RunCurl;
using ::silt::ingest::testing::kNow;
using ::silt::ingest::testing::ProtoBody;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct CurlResult {
  int status = 0;
  std::string body;
};

class PushHandlerTest : public testing::PushServerFixture {
 protected:
  // Writes `body` to a temp file and posts it with curl --data-binary, plus `headers`.
  CurlResult Post(const std::string& path, const std::string& body,
                  const std::vector<std::string>& headers) {
    const std::string file = dir_.Path("body-" + std::to_string(files_++));
    std::ofstream(file, std::ios::binary) << body;
    std::vector<std::string> args = {"--data-binary", "@" + file, "-w", "|%{http_code}"};
    for (const std::string& header : headers) {
      args.push_back("-H");
      args.push_back(header);
    }
    args.push_back(base_ + path);
    int code = 0;
    std::string out = RunCurl(args, &code);
    EXPECT_EQ(code, 0) << out;
    CurlResult result;
    const size_t bar = out.rfind('|');
    if (bar == std::string::npos) return result;
    result.status = std::atoi(out.c_str() + bar + 1);
    result.body = out.substr(0, bar);
    return result;
  }

  static std::string Ts(int64_t offset_ns) { return std::to_string(kNow + offset_ns); }

  int files_ = 0;
};

TEST_F(PushHandlerTest, JsonPushIsStoredAndAnswered204) {
  const std::string body = R"({"streams":[{"stream":{"job":"api"},"values":[[")" + Ts(1) +
                           R"(","first"],[")" + Ts(2) + R"(","second",{"trace_id":"a1"}]]}]})";
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(r.body, "");
  EXPECT_THAT(Stored("job", "api"), ElementsAre("1|first", "2|second"));
  EXPECT_EQ(Metric(R"(silt_push_requests_total{format="json",status="204"})"), 1);
  EXPECT_EQ(Metric(R"(silt_push_entries_received_total{format="json"})"), 2);
  EXPECT_EQ(Metric(R"(silt_push_bytes_received_total{format="json"})"), 11);
}

TEST_F(PushHandlerTest, PushRefusedByAStoppingExecutorIs503AndStoresNothing) {
  refuse_jobs_ = true;
  const std::string body =
      R"({"streams":[{"stream":{"job":"late"},"values":[[")" + Ts(1) + R"(","too late"]]}]})";
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_THAT(r.body, HasSubstr("shutting down"));
  EXPECT_THAT(Stored("job", "late"), IsEmpty());
}

TEST_F(PushHandlerTest, GzipJsonPushIsStored) {
  const std::string body =
      R"({"streams":[{"stream":{"job":"gz"},"values":[[")" + Ts(5) + R"(","zipped"]]}]})";
  CurlResult r = Post("/loki/api/v1/push", http::testing::Gzip(body),
                      {"Content-Type: application/json", "Content-Encoding: gzip"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Stored("job", "gz"), ElementsAre("5|zipped"));
}

TEST_F(PushHandlerTest, ProtobufPushIsStored) {
  const int64_t seconds = kNow / 1'000'000'000;
  const std::string body = ProtoBody({{R"({job="proto", env="prod"})",
                                       {{seconds, 7, "from promtail", {{"trace_id", "t1"}}},
                                        {seconds,
                                         8,
                                         "a\xff"
                                         "b",
                                         {}}}}});
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type: application/x-protobuf"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Stored("job", "proto"), ElementsAre("7|from promtail",
                                                  "8|a\xff"
                                                  "b"));
  EXPECT_EQ(Metric(R"(silt_push_requests_total{format="protobuf",status="204"})"), 1);
}

TEST_F(PushHandlerTest, ProtobufWithoutContentTypeIsAccepted) {
  const int64_t seconds = kNow / 1'000'000'000;
  const std::string body = ProtoBody({{R"({job="bare"})", {{seconds, 1, "x", {}}}}});
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type:"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Stored("job", "bare"), ElementsAre("1|x"));
}

TEST_F(PushHandlerTest, SimpleLogsAreStored) {
  const std::string body = R"([{"message":"no ts","labels":{"job":"simple"}},)"
                           R"({"timestamp":")" +
                           std::to_string(kNow / 1'000'000 - 1000) +
                           R"(","message":"ms","labels":{"job":"simple"}}])";
  CurlResult r = Post("/api/v1/logs", body, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Stored("job", "simple"), ElementsAre("-1000000000|ms", "0|no ts"));
}

TEST_F(PushHandlerTest, PartialRejectionStoresTheValidEntriesAndAnswers400) {
  const int64_t week = 7 * 24 * 3600 * 1'000'000'000LL;
  const std::string body = R"({"streams":[{"stream":{"job":"mixed"},"values":[[")" + Ts(1) +
                           R"(","ok"],[")" + Ts(-week - 1) + R"(","old"],[")" + Ts(2) +
                           R"(","ok too"]]},{"stream":{"bad-name":"x"},"values":[[")" + Ts(3) +
                           R"(","bad labels"]]}]})";
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("entry for stream '{job=\"mixed\"}' has timestamp too old"));
  EXPECT_THAT(r.body, HasSubstr("invalid label name"));
  EXPECT_THAT(r.body, HasSubstr("2 of 4 entries rejected\n"));
  EXPECT_THAT(Stored("job", "mixed"), ElementsAre("1|ok", "2|ok too"));
  EXPECT_EQ(Metric(R"(silt_discarded_samples_total{reason="greater_than_max_sample_age"})"), 1);
  EXPECT_EQ(Metric(R"(silt_discarded_samples_total{reason="invalid_labels"})"), 1);
  EXPECT_EQ(Metric(R"(silt_push_requests_total{format="json",status="400"})"), 1);
}

TEST_F(PushHandlerTest, TenantComesFromXScopeOrgId) {
  const std::string body =
      R"({"streams":[{"stream":{"job":"t"},"values":[[")" + Ts(1) + R"(","tenant a"]]}]})";
  CurlResult r =
      Post("/loki/api/v1/push", body, {"Content-Type: application/json", "X-Scope-OrgID: team-a"});
  EXPECT_EQ(r.status, 204) << r.body;
  EXPECT_THAT(Stored("job", "t", "team-a"), ElementsAre("1|tenant a"));
  EXPECT_TRUE(Stored("job", "t", "fake").empty());
}

TEST_F(PushHandlerTest, InvalidTenantIs400) {
  CurlResult r =
      Post("/loki/api/v1/push", "{}", {"Content-Type: application/json", "X-Scope-OrgID: a/b"});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("invalid X-Scope-OrgID header"));
}

TEST_F(PushHandlerTest, UnsupportedContentTypeIs415) {
  CurlResult r = Post("/loki/api/v1/push", "x", {"Content-Type: text/plain"});
  EXPECT_EQ(r.status, 415);
  EXPECT_THAT(r.body, HasSubstr("unsupported Content-Type 'text/plain'"));
  r = Post("/api/v1/logs", "x", {"Content-Type: application/x-protobuf"});
  EXPECT_EQ(r.status, 415);
}

TEST_F(PushHandlerTest, EmptyStreamsListIs204) {
  CurlResult r = Post("/loki/api/v1/push", R"({"streams":[]})", {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 204) << r.body;
}

TEST_F(PushHandlerTest, ClosedEngineIs503) {
  ASSERT_TRUE(engine_->Close().ok());
  const std::string body =
      R"({"streams":[{"stream":{"job":"c"},"values":[[")" + Ts(1) + R"(","x"]]}]})";
  CurlResult r = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(r.status, 503);
  EXPECT_THAT(r.body, HasSubstr("push for tenant 'fake' was not stored: storage engine is closed"));
}

TEST_F(PushHandlerTest, FullHeadIs429WithRetryAfter) {
  Stop();
  Start({}, size_t{1} << 20);
  std::string body = R"({"streams":[{"stream":{"job":"big"},"values":[)";
  for (int i = 0; i < 6; ++i) {
    body +=
        std::string(i ? "," : "") + "[\"" + Ts(i) + "\",\"" + std::string(250 << 10, 'x') + "\"]";
  }
  body += "]}]}";
  CurlResult first = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(first.status, 204) << first.body;
  CurlResult second = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(second.status, 429);
  EXPECT_THAT(second.body, HasSubstr("push for tenant 'fake' was not stored: head memory is full"));
  EXPECT_EQ(Metric(R"(silt_push_requests_total{format="json",status="429"})"), 1);
}

TEST_F(PushHandlerTest, PushLargerThanOneWalRecordIs413NamingTheLimit) {
  Stop();
  Start({}, 0, uint32_t{1} << 20);
  std::string body = R"({"streams":[{"stream":{"job":"big"},"values":[)";
  for (int i = 0; i < 6; ++i) {
    body +=
        std::string(i ? "," : "") + "[\"" + Ts(i) + "\",\"" + std::string(250 << 10, 'x') + "\"]";
  }
  body += "]}]}";
  CurlResult big = Post("/loki/api/v1/push", body, {"Content-Type: application/json"});
  EXPECT_EQ(big.status, 413) << big.body;
  EXPECT_THAT(big.body, HasSubstr("push for tenant 'fake' was not stored: its 6 entries take"));
  EXPECT_THAT(big.body, HasSubstr("more than storage.max_record_size (1048576 bytes)"));
  EXPECT_THAT(big.body, HasSubstr("raise storage.max_record_size"));
  EXPECT_TRUE(Stored("job", "big").empty());
  EXPECT_EQ(Metric(R"(silt_push_requests_total{format="json",status="413"})"), 1);
  // A push that fits is stored as usual.
  const std::string small =
      R"({"streams":[{"stream":{"job":"big"},"values":[[")" + Ts(1) + R"(","fits"]]}]})";
  CurlResult ok = Post("/loki/api/v1/push", small, {"Content-Type: application/json"});
  EXPECT_EQ(ok.status, 204) << ok.body;
  EXPECT_EQ(Stored("job", "big").size(), 1u);
}

}  // namespace
}  // namespace silt::ingest
