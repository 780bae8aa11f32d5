#include "aggregator/tail/tail_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "shared/http/percent_encoding.h"
#include "shared/time/duration.h"

namespace silt::tail {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kNow = 1'700'000'000'000'000'000;

http::Request Get(const std::string& query, const std::string& extra = "") {
  http::Request request;
  request.method = "GET";
  request.query = "query=" + http::PercentEncode(query) + extra;
  return request;
}

TEST(TailRequestTest, DefaultsAreLokis) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"api\"} |= \"x\""), 5000, kNow);
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
  Result<TailRequest> parsed = ParseTailRequest(request, 5000, kNow);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->tenant, "team-a");
  EXPECT_EQ(parsed->limit, 7u);
  EXPECT_EQ(parsed->delay_for_ns, 5 * time::kSecond);
  EXPECT_EQ(parsed->start_ns, 1'700'000'000 * time::kSecond);
}

TEST(TailRequestTest, MissingQueryIsAnError) {
  http::Request request;
  request.method = "GET";
  Result<TailRequest> parsed = ParseTailRequest(request, 5000, kNow);
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(parsed.status().message(), HasSubstr("query parameter is missing"));
}

TEST(TailRequestTest, MetricQueryIsRefused) {
  Result<TailRequest> parsed = ParseTailRequest(Get("rate({job=\"api\"}[1m])"), 5000, kNow);
  EXPECT_THAT(parsed.status().message(), HasSubstr("only log selector is supported"));
}

TEST(TailRequestTest, LimitOverTheMaximumIsRefusedWithLokisWording) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"a\"}", "&limit=6000"), 5000, kNow);
  EXPECT_THAT(parsed.status().message(),
              HasSubstr("max entries limit per query exceeded, limit > max_entries_limit "
                        "(6000 > 5000)"));
}

TEST(TailRequestTest, BadLimitsAreRefused) {
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&limit=0"), 5000, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&limit=ten"), 5000, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&delay_for=-1"), 5000, kNow).ok());
  EXPECT_FALSE(ParseTailRequest(Get("{job=\"a\"}", "&delay_for=1.5"), 5000, kNow).ok());
}

TEST(TailRequestTest, DelayForOverFiveIsRefused) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"a\"}", "&delay_for=6"), 5000, kNow);
  EXPECT_THAT(parsed.status().message(), HasSubstr("delay_for can't be greater than 5"));
}

TEST(TailRequestTest, BadStartNamesTheParameter) {
  Result<TailRequest> parsed = ParseTailRequest(Get("{job=\"a\"}", "&start=yesterday"), 5000, kNow);
  EXPECT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().ToString(), HasSubstr("start"));
}

TEST(TailRequestTest, BadTenantIsRefused) {
  http::Request request = Get("{job=\"a\"}");
  request.headers.Add("X-Scope-OrgID", "../etc");
  Result<TailRequest> parsed = ParseTailRequest(request, 5000, kNow);
  EXPECT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().ToString(), HasSubstr("X-Scope-OrgID"));
}

}  // namespace
}  // namespace silt::tail
