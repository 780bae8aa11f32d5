// LokiApi over a real HttpServer on port 0 and a real StorageEngine in a temp dir: every route's
// status and JSON shape, parameters and errors as Loki gives them.
#include "aggregator/api/loki_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/labels/label_parser.h"
#include "shared/time/clock.h"
#include "tests/unit/aggregator/api/engine_http_fixture.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt::api {
namespace {

using ::silt::http::testing::RawClient;
using ::silt::http::testing::RawResponse;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kBase = int64_t{1'700'000'000} * time::kSecond;  // 2023-11-14T22:13:20Z
// A range around the test data, as query parameters.
const std::string kRange = "&start=1699999990&end=1700000100";

class LokiApiTest : public silt::testing::EngineHttpFixture {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(OpenEngine(&clock_));
    LokiApiOptions api_options;
    api_options.pool = &pool_;
    api_options.query.clock = &clock_;
    api_options.query.max_entries_limit = 100;
    api_ = std::make_unique<LokiApi>(std::move(api_options));
    http::Router router;
    ASSERT_TRUE(api_->AddRoutes(&router).ok());
    ASSERT_NO_FATAL_FAILURE(StartServer(std::move(router)));
    api_->SetEngine(engine_.get());
  }

  void TearDown() override {
    StopServer();
    pool_.Stop();
    CloseEngine();
  }

  void Push(std::string_view labels, const std::vector<std::pair<int64_t, std::string>>& lines,
            std::string tenant = "fake") {
    auto set = labels::ParseLabels(labels);
    ASSERT_TRUE(set.ok()) << set.status();
    std::vector<std::pair<int64_t, std::string>> entries;
    for (const auto& [offset, text] : lines) entries.emplace_back(kBase + offset, text);
    auto outcome = PushEntries(tenant, *set, entries);
    ASSERT_TRUE(outcome.ok()) << outcome.status();
    ASSERT_EQ(outcome->rejected, 0u);
  }

  // The usual data: two streams of tenant fake, one of tenant other.
  void PushSample() {
    Push(R"({job="api", level="info"})", {{1 * time::kSecond, "GET /a"},
                                          {2 * time::kSecond, "GET /b"},
                                          {3 * time::kSecond, "GET /c"}});
    Push(R"({job="db", level="error"})", {{4 * time::kSecond, "slow query"}});
    Push(R"({job="secret"})", {{1 * time::kSecond, "other tenant"}}, "other");
  }

  RawResponse Send(const std::string& request) {
    RawClient client(server_->port());
    EXPECT_TRUE(client.connected());
    EXPECT_TRUE(client.Send(request));
    std::optional<RawResponse> response = client.ReadResponse();
    EXPECT_TRUE(response.has_value()) << request;
    return response.value_or(RawResponse{});
  }
  RawResponse Get(const std::string& target, const std::string& headers = "") {
    return Send("GET " + target + " HTTP/1.1\r\nHost: t\r\n" + headers + "\r\n");
  }

  simdjson::dom::element Parse(const std::string& body) {
    padded_ = simdjson::padded_string(body);
    simdjson::dom::element root;
    EXPECT_EQ(parser_.parse(padded_).get(root), simdjson::SUCCESS) << body;
    return root;
  }

  // The lines of a streams result, stream by stream, in order.
  std::vector<std::string> Lines(const std::string& body) {
    std::vector<std::string> lines;
    simdjson::dom::element root = Parse(body);
    for (simdjson::dom::element stream : root["data"]["result"].get_array()) {
      for (simdjson::dom::element value : stream["values"].get_array()) {
        lines.emplace_back(std::string_view(value.at(1).get_string()));
      }
    }
    return lines;
  }

  time::SystemClock clock_;
  QueryPool pool_{2};
  std::unique_ptr<LokiApi> api_;
  simdjson::dom::parser parser_;
  simdjson::padded_string padded_;
};

TEST_F(LokiApiTest, QueryRangeReturnsStreamsNewestFirst) {
  PushSample();
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D" + kRange);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "application/json");
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(std::string_view(root["status"].get_string()), "success");
  EXPECT_EQ(std::string_view(root["data"]["resultType"].get_string()), "streams");
  simdjson::dom::array result = root["data"]["result"].get_array();
  ASSERT_EQ(result.size(), 1u);
  simdjson::dom::element stream = result.at(0);
  EXPECT_EQ(std::string_view(stream["stream"]["job"].get_string()), "api");
  EXPECT_EQ(std::string_view(stream["stream"]["level"].get_string()), "info");
  simdjson::dom::element first = stream["values"].at(0);
  EXPECT_EQ(std::string_view(first.at(0).get_string()), std::to_string(kBase + 3 * time::kSecond));
  EXPECT_TRUE(simdjson::dom::element(root["data"]["stats"]["summary"]).is_object());
  EXPECT_THAT(Lines(r.body), ElementsAre("GET /c", "GET /b", "GET /a"));
}

TEST_F(LokiApiTest, QueryRangeForwardWithLimit) {
  PushSample();
  RawResponse r =
      Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D&direction=FORWARD"
          "&limit=2" +
          kRange);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(Lines(r.body), ElementsAre("GET /a", "GET /b"));
}

TEST_F(LokiApiTest, QueryRangeIntervalKeepsOneEntryPerIntervalOverAllStreams) {
  Push(R"({job="a"})", {{0, "a0"},
                        {500 * time::kMillisecond, "a0.5"},
                        {2 * time::kSecond, "a2"},
                        {3500 * time::kMillisecond, "a3.5"}});
  Push(R"({job="b"})", {{1 * time::kSecond, "b1"}, {4 * time::kSecond, "b4"}});
  const std::string q = "/loki/api/v1/query_range?query=%7Bjob%3D~%22a%7Cb%22%7D" + kRange;
  // Forward: a0 kept; a0.5 within 1s of it; b1 kept; a2 kept; a3.5 kept; b4 within 1s.
  RawResponse forward = Get(q + "&direction=forward&interval=1");
  ASSERT_EQ(forward.status, 200) << forward.body;
  EXPECT_THAT(Lines(forward.body), ElementsAre("a0", "a2", "a3.5", "b1"));
  // Backward from b4: a3.5 within 1s; a2 kept; b1 kept; a0.5 within 1s; a0 kept.
  RawResponse backward = Get(q + "&interval=1s");
  ASSERT_EQ(backward.status, 200) << backward.body;
  EXPECT_THAT(Lines(backward.body), ElementsAre("a2", "a0", "b4", "b1"));
  // Skipped entries do not use up the limit.
  RawResponse limited = Get(q + "&direction=forward&interval=1&limit=3");
  EXPECT_THAT(Lines(limited.body), ElementsAre("a0", "a2", "b1"));
  RawResponse every = Get(q + "&direction=forward&interval=0");
  EXPECT_EQ(Lines(every.body).size(), 6u);
  RawResponse negative = Get(q + "&interval=-1");
  EXPECT_EQ(negative.status, 400);
  EXPECT_THAT(negative.body, HasSubstr("interval must be >= 0"));
}

TEST_F(LokiApiTest, QueryRangeMetricQueryReturnsMatrix) {
  PushSample();
  RawResponse r =
      Get("/loki/api/v1/query_range?query=sum%28count_over_time%28%7Bjob%3D~%22.%2B%22%7D%5B1m%5D"
          "%29%29&start=1700000010&end=1700000030&step=10");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(std::string_view(root["data"]["resultType"].get_string()), "matrix");
  simdjson::dom::array values = root["data"]["result"].at(0)["values"].get_array();
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(int64_t(values.at(0).at(0).get_int64()), 1700000010);
  EXPECT_EQ(std::string_view(values.at(0).at(1).get_string()), "4");
}

TEST_F(LokiApiTest, InstantMetricQueryReturnsVector) {
  PushSample();
  RawResponse r =
      Get("/loki/api/v1/query?query=count_over_time%28%7Bjob%3D%22api%22%7D%5B1m%5D%29"
          "&time=1700000030");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(std::string_view(root["data"]["resultType"].get_string()), "vector");
  simdjson::dom::element sample = root["data"]["result"].at(0);
  EXPECT_EQ(std::string_view(sample["metric"]["job"].get_string()), "api");
  EXPECT_EQ(int64_t(sample["value"].at(0).get_int64()), 1700000030);
  EXPECT_EQ(std::string_view(sample["value"].at(1).get_string()), "3");
}

TEST_F(LokiApiTest, InstantLogQueryReadsUpToAndIncludingTime) {
  PushSample();
  RawResponse r = Get("/loki/api/v1/query?query=%7Bjob%3D%22api%22%7D&time=1700000002");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(Lines(r.body), ElementsAre("GET /b", "GET /a"));
}

TEST_F(LokiApiTest, MissingQueryIs400) {
  RawResponse r = Get("/loki/api/v1/query_range?start=1");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("query is required"));
}

TEST_F(LokiApiTest, ParseErrorIs400WithPosition) {
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D%7D");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "text/plain; charset=utf-8");
  EXPECT_THAT(r.body, HasSubstr("parse error at line 1, col 6"));
}

TEST_F(LokiApiTest, BadTimeIs400NamingTheParameter) {
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D&start=yesterday");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("start"));
  EXPECT_THAT(r.body, HasSubstr("yesterday"));
}

TEST_F(LokiApiTest, BadDirectionIs400) {
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D&direction=up");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("invalid direction 'up'"));
}

TEST_F(LokiApiTest, LimitOverTheMaximumIs400) {
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D&limit=101");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("max entries limit per query exceeded"));
}

TEST_F(LokiApiTest, EndBeforeStartIs400) {
  RawResponse r =
      Get("/loki/api/v1/query_range?query=%7Bjob%3D%22api%22%7D&start=1700000100&end=1700000000");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("end timestamp must not be before"));
}

TEST_F(LokiApiTest, LabelsListsNamesOfTheTenant) {
  PushSample();
  RawResponse r = Get("/loki/api/v1/labels?start=1699999990&end=1700000100");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":["job","level"]})");
}

TEST_F(LokiApiTest, LabelValuesListsValuesAndFiltersByQuery) {
  PushSample();
  RawResponse all = Get("/loki/api/v1/label/job/values?start=1699999990&end=1700000100");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(all.body, R"({"status":"success","data":["api","db"]})");
  RawResponse some =
      Get("/loki/api/v1/label/job/values?start=1699999990&end=1700000100"
          "&query=%7Blevel%3D%22error%22%7D");
  EXPECT_EQ(some.body, R"({"status":"success","data":["db"]})");
  RawResponse none = Get("/loki/api/v1/label/nothing/values?start=1699999990&end=1700000100");
  EXPECT_EQ(none.body, R"({"status":"success","data":[]})");
}

TEST_F(LokiApiTest, SeriesUnionsMatchGroups) {
  PushSample();
  RawResponse r =
      Get("/loki/api/v1/series?match[]=%7Bjob%3D%22api%22%7D&match[]=%7Blevel%3D%22error%22%7D"
          "&start=1699999990&end=1700000100");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":[{"job":"api","level":"info"},)"
                    R"({"job":"db","level":"error"}]})");
}

TEST_F(LokiApiTest, SeriesTakesAPostForm) {
  PushSample();
  const std::string form = "match[]=%7Bjob%3D%22db%22%7D&start=1699999990&end=1700000100";
  RawResponse r = Send(
      "POST /loki/api/v1/series HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(form.size()) + "\r\n\r\n" + form);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":[{"job":"db","level":"error"}]})");
}

TEST_F(LokiApiTest, SeriesWithoutMatchIs400) {
  RawResponse r = Get("/loki/api/v1/series");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("match[] is required"));
}

TEST_F(LokiApiTest, SeriesWithAPipelineIs400) {
  RawResponse r = Get("/loki/api/v1/series?match[]=%7Bjob%3D%22db%22%7D%20%7C%3D%20%22x%22");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("only label matchers are supported"));
}

TEST_F(LokiApiTest, IndexStatsCountsHeadAndChunks) {
  PushSample();
  ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  Push(R"({job="api", level="info"})", {{5 * time::kSecond, "GET /d"}});
  RawResponse r =
      Get("/loki/api/v1/index/stats?query=%7Bjob%3D~%22api%7Cdb%22%7D&start=1699999990"
          "&end=1700000100");
  ASSERT_EQ(r.status, 200) << r.body;
  simdjson::dom::element root = Parse(r.body);
  EXPECT_EQ(uint64_t(root["streams"].get_uint64()), 2u);
  EXPECT_EQ(uint64_t(root["entries"].get_uint64()), 5u);
  EXPECT_EQ(uint64_t(root["chunks"].get_uint64()), 3u);  // two flushed, one in the head
  EXPECT_GE(uint64_t(root["bytes"].get_uint64()), 6u * 5);
}

TEST_F(LokiApiTest, IndexStatsTakesAPostForm) {
  PushSample();
  const std::string form = "query=%7Bjob%3D%22db%22%7D&start=1699999990&end=1700000100";
  RawResponse r = Send(
      "POST /loki/api/v1/index/stats HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(form.size()) + "\r\n\r\n" + form);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"streams":1,"chunks":1,"bytes":10,"entries":1})");
}

TEST_F(LokiApiTest, VolumeAnswersBytesPerSelectorLabelAsAVector) {
  PushSample();
  RawResponse r = Get("/loki/api/v1/index/volume?query=%7Bjob%3D~%22.%2B%22%7D" + kRange);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers.Get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"vector","result":[)"
                    R"({"metric":{"job":"api"},"value":[1700000100,"18"]},)"
                    R"({"metric":{"job":"db"},"value":[1700000100,"10"]}]}})");
}

TEST_F(LokiApiTest, VolumeRangeTakesAPostFormAndAnswersAMatrix) {
  PushSample();
  const std::string form =
      "query=%7B%7D&start=1700000000&end=1700000010&step=5s&aggregateBy=labels"
      "&targetLabels=level";
  RawResponse r = Send(
      "POST /loki/api/v1/index/volume_range HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: " +
      std::to_string(form.size()) + "\r\n\r\n" + form);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, R"({"status":"success","data":{"resultType":"matrix","result":[)"
                    R"({"metric":{"level":""},"values":[[1700000004.999,"28"]]}]}})");
}

TEST_F(LokiApiTest, VolumeBadParametersAre400) {
  RawResponse missing = Get("/loki/api/v1/index/volume");
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(missing.body, HasSubstr("query is required"));
  RawResponse pipeline =
      Get("/loki/api/v1/index/volume?query=%7Bjob%3D%22db%22%7D%20%7C%3D%20%22x%22");
  EXPECT_EQ(pipeline.status, 400);
  EXPECT_THAT(pipeline.body, HasSubstr("only label matchers are supported"));
  RawResponse aggregate =
      Get("/loki/api/v1/index/volume?query=%7Bjob%3D%22db%22%7D&aggregateBy=streams");
  EXPECT_EQ(aggregate.status, 400);
  EXPECT_THAT(aggregate.body, HasSubstr("invalid aggregation option"));
  RawResponse step =
      Get("/loki/api/v1/index/volume_range?query=%7Bjob%3D%22db%22%7D&step=-1" + kRange);
  EXPECT_EQ(step.status, 400);
  EXPECT_THAT(step.body, HasSubstr("zero or negative query resolution step"));
  RawResponse order =
      Get("/loki/api/v1/index/volume?query=%7Bjob%3D%22db%22%7D&start=1700000100&end=1700000000");
  EXPECT_EQ(order.status, 400);
  EXPECT_THAT(order.body, HasSubstr("end timestamp must not be before"));
}

TEST_F(LokiApiTest, TenantComesFromTheOrgIdHeader) {
  PushSample();
  RawResponse r = Get("/loki/api/v1/query_range?query=%7Bjob%3D~%22.%2B%22%7D" + kRange,
                      "X-Scope-OrgID: other\r\n");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(Lines(r.body), ElementsAre("other tenant"));
}

TEST_F(LokiApiTest, InvalidTenantIs400) {
  RawResponse r = Get("/loki/api/v1/labels", "X-Scope-OrgID: ../etc\r\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("X-Scope-OrgID"));
}

TEST_F(LokiApiTest, NotReadyUntilTheEngineIsSet) {
  EXPECT_EQ(Get("/ready").status, 200);
  api_->SetEngine(nullptr);
  RawResponse ready = Get("/ready");
  EXPECT_EQ(ready.status, 503);
  EXPECT_THAT(ready.body, HasSubstr("write-ahead log"));
  EXPECT_EQ(Get("/loki/api/v1/labels").status, 503);
  api_->SetEngine(engine_.get());
  RawResponse after = Get("/ready");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, "ready\n");
}

TEST_F(LokiApiTest, UnknownPathIs404AndWrongMethodIs405) {
  EXPECT_EQ(Get("/loki/api/v1/nothing").status, 404);
  RawResponse r = Send("DELETE /loki/api/v1/labels HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(r.status, 405);
  EXPECT_THAT(std::string(r.headers.Get("Allow").value_or("")), HasSubstr("GET"));
}

TEST_F(LokiApiTest, QueryErrorStatusesFollowLoki) {
  EXPECT_EQ(QueryErrorResponse(Status::InvalidArgument("x")).status, 400);
  EXPECT_EQ(QueryErrorResponse(Status::ResourceExhausted("query would use more")).status, 400);
  EXPECT_EQ(
      QueryErrorResponse(Status::ResourceExhausted("timed out: context deadline exceeded")).status,
      504);
  EXPECT_EQ(QueryErrorResponse(Status::IOError("disk")).status, 500);
}

}  // namespace
}  // namespace silt::api
