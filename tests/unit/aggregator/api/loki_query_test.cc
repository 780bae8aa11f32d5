// CheckLokiQuery: the parameter and query checks both the HTTP API and `silt-aggregator query`
// rely on (running queries is covered by loki_api_test.cc against a real engine).
#include "aggregator/api/loki_query.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::api {
namespace {

using ::testing::HasSubstr;

class LokiQueryTest : public ::testing::Test {
 protected:
  LokiQueryTest() { options_.clock = &clock_; }
  Status Check(LokiQueryRequest request) {
    if (request.query.empty()) request.query = R"({job="api"})";
    return CheckLokiQuery(request, options_);
  }
  time::SystemClock clock_;
  LokiQueryOptions options_;
};

TEST_F(LokiQueryTest, DefaultsAreAccepted) { EXPECT_TRUE(Check({}).ok()); }

TEST_F(LokiQueryTest, MissingQueryNamesTheParameter) {
  Status s = CheckLokiQuery({}, options_);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("query is required"));
}

TEST_F(LokiQueryTest, ParseErrorHasLokisPosition) {
  LokiQueryRequest r;
  r.query = R"({job="api"} |= )";
  EXPECT_THAT(Check(r).message(), HasSubstr("parse error at line 1, col"));
}

TEST_F(LokiQueryTest, PipelineThatDoesNotCompileIsRefused) {
  LokiQueryRequest r;
  r.query = R"({job="api"} |~ "(")";
  EXPECT_EQ(Check(r).code(), StatusCode::kInvalidArgument);
}

TEST_F(LokiQueryTest, DirectionIsCaseInsensitive) {
  LokiQueryRequest r;
  r.direction = "FORWARD";
  EXPECT_TRUE(Check(r).ok());
  r.direction = "sideways";
  EXPECT_THAT(Check(r).message(), HasSubstr("invalid direction 'sideways'"));
}

TEST_F(LokiQueryTest, LimitMustBeAPositiveInteger) {
  LokiQueryRequest r;
  r.limit = "0";
  EXPECT_THAT(Check(r).message(), HasSubstr("limit must be a positive value"));
  r.limit = "ten";
  EXPECT_THAT(Check(r).message(), HasSubstr("limit 'ten'"));
}

TEST_F(LokiQueryTest, ParameterNamesUseThePrefix) {
  options_.param_prefix = "--";
  LokiQueryRequest r;
  r.end = "noon";
  EXPECT_THAT(Check(r).message(), HasSubstr("--end"));
}

TEST_F(LokiQueryTest, StepMustBePositive) {
  LokiQueryRequest r;
  r.step = "0";
  EXPECT_THAT(Check(r).message(), HasSubstr("zero or negative query resolution step"));
  r.step = "soon";
  EXPECT_THAT(Check(r).message(), HasSubstr("step 'soon': expected a duration"));
  r.step = "1m30s";
  EXPECT_TRUE(Check(r).ok());
  r.step = "0.5";
  EXPECT_TRUE(Check(r).ok());
}

TEST_F(LokiQueryTest, IntervalMustBeANonNegativeDuration) {
  LokiQueryRequest r;
  r.interval = "-1";
  EXPECT_THAT(Check(r).message(), HasSubstr("interval must be >= 0"));
  r.interval = "often";
  EXPECT_THAT(Check(r).message(), HasSubstr("interval 'often': expected a duration"));
  r.interval = "1e30";
  EXPECT_EQ(Check(r).code(), StatusCode::kInvalidArgument);
  r.interval = "0";
  EXPECT_TRUE(Check(r).ok());
  r.interval = "2.5";
  EXPECT_TRUE(Check(r).ok());
  r.interval = "1m";
  EXPECT_TRUE(Check(r).ok());
}

TEST_F(LokiQueryTest, SecondsOrDurationReadsBothForms) {
  EXPECT_EQ(*ParseSecondsOrDuration("step", "1.5"), 1'500'000'000);
  EXPECT_EQ(*ParseSecondsOrDuration("step", "1m30s"), 90 * time::kSecond);
  EXPECT_THAT(ParseSecondsOrDuration("step", "x").status().message(), HasSubstr("step 'x'"));
  EXPECT_EQ(DefaultStep(0, 1000 * time::kSecond), 4 * time::kSecond);
  EXPECT_EQ(DefaultStep(0, 10 * time::kSecond), time::kSecond);
}

TEST_F(LokiQueryTest, SinceMustBePositive) {
  LokiQueryRequest r;
  r.since = "-1h";
  EXPECT_EQ(Check(r).code(), StatusCode::kInvalidArgument);
  r.since = "0s";
  EXPECT_THAT(Check(r).message(), HasSubstr("since must be a positive duration"));
}

TEST_F(LokiQueryTest, EndBeforeStartIsRefused) {
  LokiQueryRequest r;
  r.start = "1700000100";
  r.end = "1700000000";
  EXPECT_THAT(Check(r).message(), HasSubstr("end timestamp must not be before"));
}

TEST_F(LokiQueryTest, InstantQueriesReadTime) {
  LokiQueryRequest r;
  r.instant = true;
  r.time = "2023-11-14T22:13:20Z";
  EXPECT_TRUE(Check(r).ok());
  r.time = "later";
  EXPECT_THAT(Check(r).message(), HasSubstr("time"));
}

}  // namespace
}  // namespace silt::api
