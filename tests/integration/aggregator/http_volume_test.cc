// Log volumes of the real silt-aggregator binary (port 0, temp dir): entries pushed with curl,
// then /loki/api/v1/index/volume and /index/volume_range read with curl and their JSON checked
// field by field against Loki's shapes (a vector with `value`, a matrix with `values`), with
// aggregateBy, targetLabels, limit, POST forms and Loki's errors; /config shows the tail keys
// (docs/http-api.md "Log volume", docs/aggregator-config.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/integration/aggregator/aggregator_process.h"
#include "tests/unit/shared/http/test_server.h"

namespace silt {
namespace {

using ::silt::http::testing::RunCurl;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct CurlResult {
  int status = 0;
  std::string content_type;
  std::string body;
};

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One series of a volume answer: its metric and its samples as (seconds, bytes).
struct Series {
  std::map<std::string, std::string> metric;
  std::vector<std::pair<double, uint64_t>> samples;
};

class HttpVolumeTest : public silt::testing::AggregatorProcessTest {
 protected:
  void SetUp() override {
    AggregatorProcessTest::SetUp();
    ASSERT_NE(StartServer(), 0);
    http_port_ = HttpPort();
    ASSERT_NE(http_port_, 0) << ServerLog();
    now_ = NowSeconds();
    range_ = {"--data-urlencode", "start=" + std::to_string(now_ - 3600), "--data-urlencode",
              "end=" + std::to_string(now_ + 60)};
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(http_port_) + path;
  }

  CurlResult Curl(std::vector<std::string> args) {
    const std::string body_file = dir_.Path("curl-body");
    args.insert(args.begin(), {"-s", "-o", body_file, "-w", "%{http_code} %{content_type}"});
    int rc = 0;
    const std::string out = RunCurl(args, &rc);
    EXPECT_EQ(rc, 0) << out;
    CurlResult result;
    result.status = std::atoi(out.c_str());
    const size_t space = out.find(' ');
    if (space != std::string::npos) result.content_type = out.substr(space + 1);
    std::ifstream in(body_file);
    result.body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return result;
  }

  // Pushes `lines` to the stream `labels` (a JSON object), one nanosecond apart, now.
  void Push(const std::string& labels, const std::vector<std::string>& lines) {
    std::string body = R"({"streams":[{"stream":)" + labels + R"(,"values":[)";
    const int64_t ts = NowSeconds() * 1'000'000'000;
    for (size_t i = 0; i < lines.size(); ++i) {
      body += (i ? "," : "") + std::string("[\"") + std::to_string(ts + int64_t(i)) + "\",\"" +
              lines[i] + "\"]";
    }
    body += "]}]}";
    const std::string file = dir_.Path("push.json");
    std::ofstream(file, std::ios::binary) << body;
    CurlResult r = Curl({"-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                         "@" + file, Url("/loki/api/v1/push")});
    ASSERT_EQ(r.status, 204) << r.body;
  }

  // Three jobs of 30, 20 and 6 bytes; the first two in two streams each.
  void PushSample() {
    Push(R"({"job":"vol-a","env":"prod"})", {std::string(10, 'a'), std::string(10, 'a')});
    Push(R"({"job":"vol-a","env":"dev"})", {std::string(10, 'a')});
    Push(R"({"job":"vol-b","env":"prod"})", {std::string(20, 'b')});
    Push(R"({"job":"vol-c"})", {"cccccc"});
  }

  // GET `path` with `params` (each "name=value", URL-encoded by curl) and the sample range.
  CurlResult Get(const std::string& path, const std::vector<std::string>& params) {
    std::vector<std::string> args = {"-G"};
    for (const std::string& p : params) args.insert(args.end(), {"--data-urlencode", p});
    args.insert(args.end(), range_.begin(), range_.end());
    args.push_back(Url(path));
    return Curl(std::move(args));
  }

  // Checks the envelope field by field and returns the series. `range`: a matrix of `values`,
  // else a vector of `value`.
  std::vector<Series> Parse(const CurlResult& r, bool range) {
    std::vector<Series> out;
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    simdjson::dom::element doc;
    if (parser_.parse(r.body).get(doc) != simdjson::SUCCESS) {
      ADD_FAILURE() << "not JSON: " << r.body;
      return out;
    }
    EXPECT_EQ(Keys(doc), (std::vector<std::string>{"status", "data"}));
    EXPECT_EQ(std::string_view(doc["status"].get_string().value()), "success");
    EXPECT_EQ(Keys(doc["data"]), (std::vector<std::string>{"resultType", "result"}));
    EXPECT_EQ(std::string_view(doc["data"]["resultType"].get_string().value()),
              range ? "matrix" : "vector");
    for (simdjson::dom::element item : doc["data"]["result"].get_array()) {
      const char* values = range ? "values" : "value";
      EXPECT_EQ(Keys(item), (std::vector<std::string>{"metric", values}));
      Series series;
      for (auto [key, value] : item["metric"].get_object()) {
        series.metric[std::string(key)] = std::string(value.get_string().value());
      }
      if (range) {
        for (simdjson::dom::element sample : item["values"].get_array()) {
          series.samples.push_back(Sample(sample));
        }
      } else {
        series.samples.push_back(Sample(item["value"]));
      }
      out.push_back(std::move(series));
    }
    return out;
  }

  static std::vector<std::string> Keys(simdjson::dom::element object) {
    std::vector<std::string> keys;
    for (auto [key, value] : object.get_object()) keys.emplace_back(key);
    return keys;
  }

  // [<number: unix seconds>, "<bytes as a decimal string>"]
  static std::pair<double, uint64_t> Sample(simdjson::dom::element sample) {
    simdjson::dom::array pair = sample.get_array();
    EXPECT_EQ(pair.size(), 2u);
    EXPECT_TRUE(pair.at(0).is_number());
    EXPECT_TRUE(pair.at(1).is_string());
    return {pair.at(0).get_double().value_unsafe(),
            std::strtoull(std::string(pair.at(1).get_string().value()).c_str(), nullptr, 10)};
  }

  int http_port_ = 0;
  int64_t now_ = 0;
  std::vector<std::string> range_;
  simdjson::dom::parser parser_;
};

TEST_F(HttpVolumeTest, VolumeIsAVectorOfBytesPerSelectorLabelLargestFirst) {
  PushSample();
  std::vector<Series> series =
      Parse(Get("/loki/api/v1/index/volume", {"query={job=~\"vol-.+\"}"}), false);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].metric, (std::map<std::string, std::string>{{"job", "vol-a"}}));
  EXPECT_EQ(series[0].samples[0].second, 30u);
  EXPECT_EQ(series[1].metric, (std::map<std::string, std::string>{{"job", "vol-b"}}));
  EXPECT_EQ(series[1].samples[0].second, 20u);
  EXPECT_EQ(series[2].metric, (std::map<std::string, std::string>{{"job", "vol-c"}}));
  EXPECT_EQ(series[2].samples[0].second, 6u);
  for (const Series& s : series) EXPECT_EQ(s.samples[0].first, double(now_ + 60));
}

TEST_F(HttpVolumeTest, SelectorLabelsTargetLabelsAndLimitShapeTheGroups) {
  PushSample();
  std::vector<Series> both =
      Parse(Get("/loki/api/v1/index/volume", {"query={job=\"vol-a\", env=~\".+\"}"}), false);
  ASSERT_EQ(both.size(), 2u);
  EXPECT_EQ(both[0].metric,
            (std::map<std::string, std::string>{{"env", "prod"}, {"job", "vol-a"}}));
  EXPECT_EQ(both[0].samples[0].second, 20u);
  EXPECT_EQ(both[1].samples[0].second, 10u);
  std::vector<Series> by_env = Parse(
      Get("/loki/api/v1/index/volume", {"query={job=~\"vol-.+\"}", "targetLabels=env", "limit=1"}),
      false);
  ASSERT_EQ(by_env.size(), 1u);
  EXPECT_EQ(by_env[0].metric, (std::map<std::string, std::string>{{"env", "prod"}}));
  EXPECT_EQ(by_env[0].samples[0].second, 40u);
}

TEST_F(HttpVolumeTest, AggregateByLabelsAnswersLabelNamesWithEmptyValues) {
  PushSample();
  std::vector<Series> series = Parse(
      Get("/loki/api/v1/index/volume", {"query={job=~\"vol-.+\"}", "aggregateBy=labels"}), false);
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].metric, (std::map<std::string, std::string>{{"job", ""}}));
  EXPECT_EQ(series[0].samples[0].second, 56u);
  EXPECT_EQ(series[1].metric, (std::map<std::string, std::string>{{"env", ""}}));
  EXPECT_EQ(series[1].samples[0].second, 50u);
}

TEST_F(HttpVolumeTest, VolumeRangeIsAMatrixWhoseStepsAddUpToTheVolume) {
  PushSample();
  std::vector<Series> range =
      Parse(Get("/loki/api/v1/index/volume_range", {"query={job=~\"vol-.+\"}", "step=60"}), true);
  ASSERT_EQ(range.size(), 3u);
  std::vector<std::string> jobs;
  for (const Series& s : range) {
    jobs.push_back(s.metric.at("job"));
    uint64_t total = 0;
    double previous = 0;
    for (const auto& [seconds, bytes] : s.samples) {
      EXPECT_GT(seconds, previous);
      EXPECT_GE(seconds, double(now_ - 3600));
      EXPECT_LE(seconds, double(now_ + 60));
      previous = seconds;
      total += bytes;
    }
    EXPECT_EQ(total, s.metric.at("job") == "vol-a"   ? 30u
                     : s.metric.at("job") == "vol-b" ? 20u
                                                     : 6u);
  }
  EXPECT_THAT(jobs, ElementsAre("vol-a", "vol-b", "vol-c"));
}

TEST_F(HttpVolumeTest, PostFormsAreRead) {
  PushSample();
  std::vector<std::string> args = {
      "-X", "POST", "--data-urlencode", "query={}", "--data-urlencode", "targetLabels=job"};
  args.insert(args.end(), range_.begin(), range_.end());
  args.push_back(Url("/loki/api/v1/index/volume"));
  std::vector<Series> series = Parse(Curl(args), false);
  ASSERT_EQ(series.size(), 3u);
  EXPECT_EQ(series[0].metric, (std::map<std::string, std::string>{{"job", "vol-a"}}));
}

TEST_F(HttpVolumeTest, BadParametersAre400WithLokisMessages) {
  CurlResult aggregate =
      Get("/loki/api/v1/index/volume", {"query={job=\"vol-a\"}", "aggregateBy=pods"});
  EXPECT_EQ(aggregate.status, 400);
  EXPECT_THAT(aggregate.content_type, HasSubstr("text/plain"));
  EXPECT_THAT(aggregate.body, HasSubstr("invalid aggregation option"));
  CurlResult limit = Get("/loki/api/v1/index/volume", {"query={job=\"vol-a\"}", "limit=-3"});
  EXPECT_EQ(limit.status, 400);
  EXPECT_THAT(limit.body, HasSubstr("limit must be a positive value"));
  CurlResult step = Get("/loki/api/v1/index/volume_range", {"query={job=\"vol-a\"}", "step=0.01"});
  EXPECT_EQ(step.status, 400);
  EXPECT_THAT(step.body, HasSubstr("exceeded maximum resolution of 11,000 points"));
  CurlResult selector = Get("/loki/api/v1/index/volume", {"query={job=~\".*\"}"});
  EXPECT_EQ(selector.status, 400) << selector.body;
  CurlResult missing = Get("/loki/api/v1/index/volume", {});
  EXPECT_EQ(missing.status, 400);
  EXPECT_THAT(missing.body, HasSubstr("query is required"));
}

TEST_F(HttpVolumeTest, ConfigShowsTheTailKeys) {
  CurlResult r = Curl({Url("/config")});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_THAT(r.body, HasSubstr("tail_max_connections: 100"));
  EXPECT_THAT(r.body, HasSubstr("tail_default_limit: 100"));
  EXPECT_THAT(r.body, HasSubstr("tail_max_delay_for: 5s"));
  EXPECT_THAT(r.body, HasSubstr("tail_send_buffer: 4MiB"));
}

}  // namespace
}  // namespace silt
