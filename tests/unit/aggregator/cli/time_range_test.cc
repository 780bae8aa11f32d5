#include "aggregator/cli/time_range.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::cli {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kSecond = 1'000'000'000;
constexpr int64_t kNow = 1765000000 * kSecond;

TEST(TimeRangeTest, TimeFlagTakesRfc3339UnixSecondsNanosAndNow) {
  EXPECT_EQ(*ParseTimeFlag("--from", "2025-12-06T05:46:40Z", kNow), 1765000000 * kSecond);
  EXPECT_EQ(*ParseTimeFlag("--from", "2025-12-06T06:46:40.5+01:00", kNow),
            1765000000 * kSecond + kSecond / 2);
  EXPECT_EQ(*ParseTimeFlag("--from", "1765000000", kNow), 1765000000 * kSecond);
  EXPECT_EQ(*ParseTimeFlag("--from", "1765000000.25", kNow), 1765000000 * kSecond + kSecond / 4);
  EXPECT_EQ(*ParseTimeFlag("--from", "1765000000000000001", kNow), 1765000000 * kSecond + 1);
  EXPECT_EQ(*ParseTimeFlag("--to", "now", kNow), kNow);
}

TEST(TimeRangeTest, BadTimeNamesTheFlagAndTheForms) {
  Result<int64_t> bad = ParseTimeFlag("--from", "yesterday", kNow);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("--from 'yesterday' is not a time"));
  EXPECT_THAT(bad.status().message(), HasSubstr("RFC 3339"));
}

TEST(TimeRangeTest, DurationFlagMustBePositive) {
  EXPECT_EQ(*ParseDurationFlag("--since", "1h30m"), 5400 * kSecond);
  EXPECT_EQ(*ParseDurationFlag("--since", "7d"), 7 * 86400 * kSecond);
  for (const char* bad : {"0", "-5m", "5", "m", "", "1x"}) {
    Result<int64_t> r = ParseDurationFlag("--since", bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("is not a positive duration")) << bad;
  }
}

TEST(TimeRangeTest, SinceCountsBackFromNow) {
  Result<TimeRange> range = ResolveTimeRange("5m", "", "", kNow);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->end_ns, kNow);
  EXPECT_EQ(range->start_ns, kNow - 300 * kSecond);
}

TEST(TimeRangeTest, SinceDefaultsToOneHour) {
  EXPECT_EQ(ResolveTimeRange("", "", "", kNow)->start_ns, kNow - 3600 * kSecond);
}

TEST(TimeRangeTest, SinceCountsBackFromTo) {
  Result<TimeRange> range = ResolveTimeRange("10s", "", "1765000100", kNow);
  EXPECT_EQ(range->end_ns, 1765000100 * kSecond);
  EXPECT_EQ(range->start_ns, 1765000090 * kSecond);
}

TEST(TimeRangeTest, FromOverridesSince) {
  Result<TimeRange> range = ResolveTimeRange("1h", "1764999999", "1765000001", kNow);
  EXPECT_EQ(range->start_ns, 1764999999 * kSecond);
  EXPECT_EQ(range->end_ns, 1765000001 * kSecond);
}

TEST(TimeRangeTest, EmptyRangeIsRefused) {
  Result<TimeRange> range = ResolveTimeRange("", "1765000001", "1765000001", kNow);
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("must be before --to"));
}

TEST(TimeRangeTest, BadToIsNamed) {
  Result<TimeRange> range = ResolveTimeRange("", "", "soon", kNow);
  ASSERT_FALSE(range.ok());
  EXPECT_THAT(range.status().message(), HasSubstr("--to 'soon'"));
}

}  // namespace
}  // namespace silt::cli
