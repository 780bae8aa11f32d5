#include "aggregator/tail/tail_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/http/percent_encoding.h"
#include "shared/time/duration.h"

namespace silt::tail {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000'000'000'000;
const TailLimits kLimits;  // Loki's: default limit 100, at most 5000, delay_for at most 5 s

http::Request Get(const std::string& query, const std::string& extra = "") {
  http::Request request;
  request.method = "GET";
  request.query = "query=" + http::PercentEncode(query) + extra;
  return request;
}

TEST(TailRequestTest, DefaultsAreLokis) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"api\"} |= \"x\""), kLimits, kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->tenant, "fake");
  EXPECT_EQ(parsed->limit, 100u);
  EXPECT_EQ(parsed->delay_for_ns, 0);
  EXPECT_EQ(parsed->start_ns, kNow - time::kHour);
  EXPECT_EQ(parsed->query.selector.size(), 1u);
  EXPECT_NE(parsed->pipeline, nullptr);
}

TEST(TailRequestTest, ParametersAreRead) {
  http::Request request = Get("{job=\"api\"}", "&limit=7&delay_for=5&start=1700000000");
  request.headers.Add("X-Scope-OrgID", "team-a");
  Result<TailRequest> parsed = ParseTailRequest(request, kLimits, kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->tenant, "team-a");
  EXPECT_EQ(parsed->limit, 7u);
  EXPECT_EQ(parsed->delay_for_ns, 5 * time::kSecond);
  EXPECT_EQ(parsed->start_ns, 1'700'000'000 * time::kSecond);
}

TEST(TailRequestTest, MissingQueryIsAnError) {
  http::Request request;
  request.method = "GET";
  Result<TailRequest> parsed = ParseTailRequest(request, kLimits, kNow);
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("query parameter is missing"));
}

TEST(TailRequestTest, MetricQueryIsRefused) {
  Result<TailRequest> parsed = ParseTailRequest(Get("rate({job=\"api\"}[1m])"), kLimits, kNow);
  EXPECT_THAT(parsed.status().message(), HasSubstr("only log selector is supported"));
}

TEST(TailRequestTest, LimitOverTheMaximumIsRefusedWithLokisWording) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"a\"}", "&limit=6000"), kLimits, kNow);
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("max entries limit per query exceeded, limit > max_entries_limit "
                        "(6000 > 5000)"));
}

TEST(TailRequestTest, BadLimitsAreRefused) {
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&limit=0"), kLimits, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&limit=ten"), kLimits, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&delay_for=-1"), kLimits, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&delay_for=1.5"), kLimits, kNow).ok());
}

TEST(TailRequestTest, DelayForOverFiveIsRefused) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"a\"}", "&delay_for=6"), kLimits, kNow);
  EXPECT_THAT(parsed.status().message(), HasSubstr("delay_for can't be greater than 5"));
}

TEST(TailRequestTest, ConfiguredLimitsApply) {
  TailLimits limits;
  limits.default_limit = 20;
  limits.max_limit = 50;
  limits.max_delay_for_ns = 10 * time::kSecond;
  Result<TailRequest> defaults = ParseTailRequest(Get("{job=\"a\"}"), limits, kNow);
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->limit, 20u);
  Result<TailRequest> slow = ParseTailRequest(Get("{job=\"a\"}", "&delay_for=10"), limits, kNow);
  ASSERT_TRUE(slow.ok()) << slow.status();
  EXPECT_EQ(slow->delay_for_ns, 10 * time::kSecond);
  Result<TailRequest> too_slow =
      ParseTailRequest(Get("{job=\"a\"}", "&delay_for=11"), limits, kNow);
  EXPECT_THAT(too_slow.status().message(), HasSubstr("delay_for can't be greater than 10"));
  EXPECT_THAT(too_slow.status().message(), HasSubstr("http.tail_max_delay_for"));
  Result<TailRequest> too_many = ParseTailRequest(Get("{job=\"a\"}", "&limit=51"), limits, kNow);
  EXPECT_THAT(too_many.status().message(), HasSubstr("(51 > 50)"));
}

TEST(TailRequestTest, BadStartNamesTheParameter) {
  Result<TailRequest> parsed =
      ParseTailRequest(Get("{job=\"a\"}", "&start=yesterday"), kLimits, kNow);
  EXPECT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().ToString(), HasSubstr("start"));
}

TEST(TailRequestTest, BadTenantIsRefused) {
  http::Request request = Get("{job=\"a\"}");
  request.headers.Add("X-Scope-OrgID", "../etc");
  Result<TailRequest> parsed = ParseTailRequest(request, kLimits, kNow);
  EXPECT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().ToString(), HasSubstr("X-Scope-OrgID"));
}

}  // namespace
}  // namespace silt::tail
