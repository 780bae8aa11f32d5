// RunVolumeQuery against a real StorageEngine in a temp dir: grouping (selector names,
// targetLabels, aggregateBy, `{}`), sorting, limits per step, steps, what a flushed block and a
// head entry count; ParseVolumeParams' defaults and errors; EncodeVolumeResponse's shapes.
#include "aggregator/api/volume_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "shared/fs/posix_file_system.h"
#include "shared/labels/label_parser.h"
#include "shared/time/clock.h"
#include "tests/support/temp_dir.h"

namespace silt::api {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr int64_t kBase = int64_t{1'700'000'000} * time::kSecond;  // a multiple of 10 s

labels::Matcher Match(labels::MatchType type, std::string name, std::string value) {
  return *labels::Matcher::Create(type, std::move(name), std::move(value));
}
labels::Matcher Eq(std::string name, std::string value) {
  return Match(labels::MatchType::kEqual, std::move(name), std::move(value));
}
labels::Matcher Re(std::string name, std::string value) {
  return Match(labels::MatchType::kRegexMatch, std::move(name), std::move(value));
}

// "{a=\"x\", b=\"y\"}=N" per series and sample, to compare whole results at once.
std::vector<std::string> Summary(const std::vector<VolumeSeries>& series) {
  std::vector<std::string> out;
  for (const VolumeSeries& s : series) {
    std::string text = "{";
    for (size_t i = 0; i < s.metric.size(); ++i) {
      text += (i ? "," : "") + s.metric[i].name + "=" + s.metric[i].value;
    }
    text += "}";
    for (const VolumeSample& sample : s.samples) {
      text += " " + std::to_string((sample.timestamp - kBase) / time::kMillisecond) +
              "ms:" + std::to_string(sample.bytes);
    }
    out.push_back(text);
  }
  return out;
}

class VolumeQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions options;
    options.fs = &fs_;
    options.clock = &clock_;
    options.data_dir = dir_.Path("data");
    options.background_flush = false;
    auto engine = engine::StorageEngine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = std::move(*engine);
  }
  void TearDown() override {
    if (engine_ != nullptr) {
      EXPECT_TRUE(engine_->Close().ok());
    }
  }

  // One entry per line at kBase + offset; `metadata` is attached to every entry.
  void Push(std::string_view labels, const std::vector<std::pair<int64_t, std::string>>& lines,
            std::string tenant = "fake", std::vector<labels::LabelView> metadata = {}) {
    auto set = labels::ParseLabels(labels);
    ASSERT_TRUE(set.ok()) << set.status();
    engine::PushRequest request;
    request.tenant = tenant;
    engine::PushStream stream{*set, {}};
    for (const auto& [offset, text] : lines) {
      stream.entries.push_back({kBase + offset, text, metadata});
    }
    request.streams.push_back(std::move(stream));
    auto outcome = engine_->PushSync(std::move(request));
    ASSERT_TRUE(outcome.ok()) << outcome.status();
  }

  // Loki's documentation example: four streams, 10, 20, 30 and 40 bytes.
  void PushTeams() {
    Push(R"({job="foo", env="prod", team="alpha"})", {{time::kSecond, std::string(10, 'a')}});
    Push(R"({job="bar", env="prod", team="beta"})", {{time::kSecond, std::string(20, 'b')}});
    Push(R"({job="foo", env="dev", team="alpha"})", {{time::kSecond, std::string(30, 'c')}});
    Push(R"({job="bar", env="dev", team="beta"})", {{time::kSecond, std::string(40, 'd')}});
  }

  VolumeQueryRequest Request(std::vector<labels::Matcher> matchers) {
    VolumeQueryRequest r;
    r.matchers = std::move(matchers);
    r.from = kBase;
    r.through = kBase + 60 * time::kSecond;
    return r;
  }

  std::vector<std::string> Run(const VolumeQueryRequest& request, std::string tenant = "fake") {
    Result<std::vector<VolumeSeries>> result =
        RunVolumeQuery(*engine_, tenant, request, VolumeQueryOptions{});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? Summary(*result) : std::vector<std::string>{};
  }

  silt::testing::TempDir dir_;
  fs::PosixFileSystem fs_;
  time::SystemClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;
};

TEST_F(VolumeQueryTest, GroupsByTheSelectorsLabelNames) {
  PushTeams();
  EXPECT_THAT(Run(Request({Eq("job", "foo"), Re("env", ".+")})),
              ElementsAre("{env=dev,job=foo} 60000ms:30", "{env=prod,job=foo} 60000ms:10"));
}

TEST_F(VolumeQueryTest, TargetLabelsReplaceTheSelectorsNames) {
  PushTeams();
  VolumeQueryRequest r =
      Request({Eq("team", "alpha"), Match(labels::MatchType::kNotEqual, "env", "dev")});
  r.target_labels = {"team", "job"};
  EXPECT_THAT(Run(r), ElementsAre("{job=foo,team=alpha} 60000ms:10"));
}

TEST_F(VolumeQueryTest, StreamsWithoutATargetLabelAreLeftOut) {
  PushTeams();
  Push(R"({job="foo", region="eu"})", {{time::kSecond, "12345"}});
  VolumeQueryRequest r = Request({Eq("job", "foo")});
  r.target_labels = {"region"};
  EXPECT_THAT(Run(r), ElementsAre("{region=eu} 60000ms:5"));
}

TEST_F(VolumeQueryTest, MissingSelectorLabelsLeaveASmallerGroup) {
  PushTeams();
  Push(R"({job="baz"})", {{time::kSecond, "123"}});
  // env!="dev" also selects streams without env: their group lacks it.
  EXPECT_THAT(Run(Request({Re("job", ".+"), Match(labels::MatchType::kNotEqual, "env", "dev")})),
              ElementsAre("{env=prod,job=bar} 60000ms:20", "{env=prod,job=foo} 60000ms:10",
                          "{job=baz} 60000ms:3"));
}

TEST_F(VolumeQueryTest, AggregateByLabelsCountsEveryLabelNameOfTheStreams) {
  PushTeams();
  VolumeQueryRequest r = Request({Eq("team", "alpha")});
  r.aggregate_by = VolumeAggregation::kLabels;
  EXPECT_THAT(Run(r), ElementsAre("{env=} 60000ms:40", "{job=} 60000ms:40", "{team=} 60000ms:40"));
}

TEST_F(VolumeQueryTest, AggregateByLabelsWithTargetsCountsOnlyThem) {
  PushTeams();
  VolumeQueryRequest r = Request({Re("job", ".+")});
  r.aggregate_by = VolumeAggregation::kLabels;
  r.target_labels = {"team"};
  EXPECT_THAT(Run(r), ElementsAre("{team=} 60000ms:100"));
}

TEST_F(VolumeQueryTest, MatchAllGroupsByWholeLabelSets) {
  PushTeams();
  Push(R"({host="h1"})", {{time::kSecond, "x"}});
  Push(R"({job="other"})", {{time::kSecond, "x"}}, "other-tenant");
  EXPECT_THAT(Run(Request({})),
              ElementsAre("{env=dev,job=bar,team=beta} 60000ms:40",
                          "{env=dev,job=foo,team=alpha} 60000ms:30",
                          "{env=prod,job=bar,team=beta} 60000ms:20",
                          "{env=prod,job=foo,team=alpha} 60000ms:10", "{host=h1} 60000ms:1"));
}

TEST_F(VolumeQueryTest, EqualVolumesAreSortedByTheirText) {
  Push(R"({job="b"})", {{time::kSecond, "xx"}});
  Push(R"({job="c"})", {{time::kSecond, "xxx"}});
  Push(R"({job="a"})", {{time::kSecond, "xx"}});
  EXPECT_THAT(Run(Request({Re("job", ".+")})),
              ElementsAre("{job=c} 60000ms:3", "{job=a} 60000ms:2", "{job=b} 60000ms:2"));
}

TEST_F(VolumeQueryTest, LimitKeepsTheLargestGroups) {
  PushTeams();
  VolumeQueryRequest r = Request({Re("job", ".+"), Re("env", ".+")});
  r.limit = 2;
  EXPECT_THAT(Run(r), ElementsAre("{env=dev,job=bar} 60000ms:40", "{env=dev,job=foo} 60000ms:30"));
}

TEST_F(VolumeQueryTest, OnlyEntriesInTheRangeCount) {
  Push(R"({job="a"})", {{-time::kSecond, "before"},
                        {0, "12"},
                        {60 * time::kSecond, "1234"},
                        {61 * time::kSecond, "after"}});
  EXPECT_THAT(Run(Request({Eq("job", "a")})), ElementsAre("{job=a} 60000ms:6"));
  EXPECT_THAT(Run(Request({Eq("job", "a")}), "nobody"), ElementsAre());
}

TEST_F(VolumeQueryTest, HeadEntriesCountTheirLineBytesOnly) {
  const std::vector<labels::LabelView> metadata = {{"trace_id", "0123456789abcdef"}};
  Push(R"({job="a"})", {{time::kSecond, "four"}}, "fake", metadata);
  EXPECT_THAT(Run(Request({Eq("job", "a")})), ElementsAre("{job=a} 60000ms:4"));
}

TEST_F(VolumeQueryTest, RangeStepsEndAMillisecondBeforeTheNextAndAtTheEnd) {
  Push(R"({job="a"})", {{time::kSecond, "1"},
                        {9 * time::kSecond, "22"},
                        {10 * time::kSecond, "333"},
                        {25 * time::kSecond, "4444"}});
  VolumeQueryRequest r = Request({Eq("job", "a")});
  r.through = kBase + 25 * time::kSecond;
  r.step = 10 * time::kSecond;
  EXPECT_THAT(Run(r), ElementsAre("{job=a} 9999ms:3 19999ms:3 25000ms:4"));
}

TEST_F(VolumeQueryTest, RangeLimitAppliesPerStepAndSeriesSortByTheirFirstSample) {
  Push(R"({job="a"})", {{time::kSecond, "1"}, {11 * time::kSecond, "1111"}});
  Push(R"({job="b"})", {{time::kSecond, "22"}, {11 * time::kSecond, "1"}});
  VolumeQueryRequest r = Request({Re("job", ".+")});
  r.through = kBase + 20 * time::kSecond;
  r.step = 10 * time::kSecond;
  r.limit = 1;
  EXPECT_THAT(Run(r), ElementsAre("{job=a} 20000ms:4", "{job=b} 9999ms:2"));
}

TEST_F(VolumeQueryTest, FlushedBlocksCountWholeInTheStepOfTheirNewestEntry) {
  Push(R"({job="a"})",
       {{time::kSecond, std::string(100, 'x')}, {15 * time::kSecond, std::string(100, 'y')}});
  ASSERT_TRUE(engine_->Flush(engine::StorageEngine::FlushScope::kAll).ok());
  Push(R"({job="a"})", {{16 * time::kSecond, "12345"}});
  // The block holds both flushed entries (with their framing): a range cutting it in the middle
  // still counts all of it, in the step of its newest entry.
  VolumeQueryRequest instant = Request({Eq("job", "a")});
  instant.from = kBase + 10 * time::kSecond;
  Result<std::vector<VolumeSeries>> whole =
      RunVolumeQuery(*engine_, "fake", instant, VolumeQueryOptions{});
  ASSERT_TRUE(whole.ok()) << whole.status();
  ASSERT_EQ(whole->size(), 1u);
  const uint64_t block = whole->at(0).samples.at(0).bytes - 5;
  EXPECT_GE(block, 200u);
  EXPECT_LE(block, 220u);
  VolumeQueryRequest range = instant;
  range.from = kBase;
  range.step = 10 * time::kSecond;
  EXPECT_THAT(Run(range), ElementsAre("{job=a} 19999ms:" + std::to_string(block + 5)));
}

TEST_F(VolumeQueryTest, TooManyGroupsIsResourceExhaustedWithLokisWording) {
  PushTeams();
  VolumeQueryOptions options;
  options.max_series = 3;
  Result<std::vector<VolumeSeries>> result =
      RunVolumeQuery(*engine_, "fake", Request({Re("job", ".+"), Re("env", ".+")}), options);
  EXPECT_EQ(result.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(result.status().message(),
              HasSubstr("the query hit the max number of series limit (limit: 3 series)"));
}

TEST_F(VolumeQueryTest, SelectorMatchingOnlyEmptyIsRefusedByTheIndex) {
  Result<std::vector<VolumeSeries>> result = RunVolumeQuery(
      *engine_, "fake", Request({Match(labels::MatchType::kRegexMatch, "job", ".*")}), {});
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
}

class VolumeParamsTest : public ::testing::Test {
 protected:
  Result<VolumeQueryRequest> Parse(std::string_view query, bool range = false) {
    Result<http::QueryParams> params = http::QueryParams::Parse(query);
    EXPECT_TRUE(params.ok()) << params.status();
    VolumeQueryRequest r;
    r.from = kBase;
    r.through = kBase + 3600 * time::kSecond;
    Status s = ParseVolumeParams(*params, range, &r);
    if (!s.ok()) return s;
    return r;
  }
};

TEST_F(VolumeParamsTest, DefaultsAreLokis) {
  Result<VolumeQueryRequest> r = Parse("", /*range=*/true);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->limit, 100u);
  EXPECT_EQ(r->aggregate_by, VolumeAggregation::kSeries);
  EXPECT_TRUE(r->target_labels.empty());
  EXPECT_EQ(r->step, 14 * time::kSecond);  // floor(3600 / 250) s
  EXPECT_EQ(Parse("")->step, 0);           // volume: no steps
}

TEST_F(VolumeParamsTest, LimitZeroMeansTheDefaultAndNegativeIsRefused) {
  EXPECT_EQ(Parse("limit=0")->limit, 100u);
  EXPECT_EQ(Parse("limit=7")->limit, 7u);
  EXPECT_THAT(Parse("limit=-1").status().message(), HasSubstr("limit must be a positive value"));
  EXPECT_THAT(Parse("limit=ten").status().message(), HasSubstr("limit 'ten'"));
}

TEST_F(VolumeParamsTest, AggregateByIsSeriesOrLabels) {
  EXPECT_EQ(Parse("aggregateBy=labels")->aggregate_by, VolumeAggregation::kLabels);
  EXPECT_EQ(Parse("aggregateBy=series")->aggregate_by, VolumeAggregation::kSeries);
  Result<VolumeQueryRequest> bad = Parse("aggregateBy=streams");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("invalid aggregation option 'streams'"));
}

TEST_F(VolumeParamsTest, TargetLabelsAreACommaSeparatedListOfNames) {
  EXPECT_THAT(Parse("targetLabels=job,%20namespace,,job")->target_labels,
              ElementsAre("job", "namespace"));
  Result<VolumeQueryRequest> bad = Parse("targetLabels=job,app-name");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("targetLabels"));
  EXPECT_THAT(bad.status().message(), HasSubstr("app-name"));
}

TEST_F(VolumeParamsTest, StepMustBePositiveAndGiveAtMost11000Points) {
  EXPECT_EQ(Parse("step=1m", true)->step, 60 * time::kSecond);
  EXPECT_EQ(Parse("step=0.5", true)->step, 500 * time::kMillisecond);
  EXPECT_THAT(Parse("step=0", true).status().message(),
              HasSubstr("zero or negative query resolution step widths are not accepted"));
  EXPECT_THAT(Parse("step=soon", true).status().message(), HasSubstr("step 'soon'"));
  EXPECT_THAT(Parse("step=0.1", true).status().message(),
              HasSubstr("exceeded maximum resolution of 11,000 points"));
}

TEST(VolumeResponseTest, VolumeIsAVectorOfTheFirstSamples) {
  std::vector<VolumeSeries> series = {{{{"job", "api"}}, {{kBase + 1500 * time::kMillisecond, 42}}},
                                      {{{"job", "d\"b"}, {"level", ""}}, {{kBase, 0}}}};
  EXPECT_EQ(EncodeVolumeResponse(series, /*range=*/false),
            R"({"status":"success","data":{"resultType":"vector","result":[)"
            R"({"metric":{"job":"api"},"value":[1700000001.500,"42"]},)"
            R"({"metric":{"job":"d\"b","level":""},"value":[1700000000,"0"]}]}})");
}

TEST(VolumeResponseTest, VolumeRangeIsAMatrix) {
  std::vector<VolumeSeries> series = {
      {{{"job", "api"}}, {{kBase, 1}, {kBase + 9999 * time::kMillisecond, 2}}}};
  EXPECT_EQ(EncodeVolumeResponse(series, /*range=*/true),
            R"({"status":"success","data":{"resultType":"matrix","result":[)"
            R"({"metric":{"job":"api"},"values":[[1700000000,"1"],[1700000009.999,"2"]]}]}})");
  EXPECT_EQ(EncodeVolumeResponse({}, /*range=*/true),
            R"({"status":"success","data":{"resultType":"matrix","result":[]}})");
}

}  // namespace
}  // namespace silt::api
