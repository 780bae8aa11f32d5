#include "shared/time/duration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace silt::time {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

struct Accepted {
  const char* text;
  int64_t nanos;
};

void ExpectAccepted(const std::vector<Accepted>& cases) {
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseDuration(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(DurationConstantsTest, UnitsHaveTheirFixedLengths) {
  EXPECT_EQ(kMicrosecond, 1'000);
  EXPECT_EQ(kMillisecond, 1'000'000);
  EXPECT_EQ(kSecond, 1'000'000'000);
  EXPECT_EQ(kMinute, 60 * kSecond);
  EXPECT_EQ(kHour, 3'600 * kSecond);
  EXPECT_EQ(kDay, 86'400 * kSecond);
  EXPECT_EQ(kWeek, 604'800 * kSecond);
  EXPECT_EQ(kYear, 31'536'000 * kSecond);
}

TEST(ParseDurationTest, AcceptsEachUnit) {
  ExpectAccepted({
      {"1y", kYear},
      {"1w", kWeek},
      {"1d", kDay},
      {"1h", kHour},
      {"1m", kMinute},
      {"1s", kSecond},
      {"1ms", kMillisecond},
      {"1us", kMicrosecond},
      {"1\u00b5s", kMicrosecond},
      {"1\u03bcs", kMicrosecond},
      {"1ns", 1},
  });
}

TEST(ParseDurationTest, AcceptsPrometheusForms) {
  ExpectAccepted({
      {"0", 0},
      {"30s", 30 * kSecond},
      {"5m", 5 * kMinute},
      {"1h30m", 90 * kMinute},
      {"7d", 7 * kDay},
      {"2w", 2 * kWeek},
      {"250ms", 250 * kMillisecond},
      {"1h30m15s500ms", kHour + 30 * kMinute + 15 * kSecond + 500 * kMillisecond},
      {"1d10h17m36s789ms", 123'456'789 * kMillisecond},
      {"1w4d10h20m54s321ms", 987'654'321 * kMillisecond},
      {"1y1w1d1h1m1s1ms", 32'230'861'001 * kMillisecond},
      {"0s", 0},
      {"0h0m", 0},
      {"00s", 0},
      {"90s", 90 * kSecond},
      {"720h", 30 * kDay},
      {"292y", 292 * kYear},
  });
}

TEST(ParseDurationTest, AcceptsGoForms) {
  ExpectAccepted({
      {"1.5h", 90 * kMinute},
      {".5s", 500 * kMillisecond},
      {"1.s", kSecond},
      {"1.5d", 36 * kHour},
      {"0.5ms", 500 * kMicrosecond},
      {"2h45m", 165 * kMinute},
      {"1.000000001s", kSecond + 1},
      {"0.000000001s", 1},
      {"1ms500us", 1'500 * kMicrosecond},
      {"1h1us", kHour + kMicrosecond},
      {"1s2ms3us4ns", kSecond + 2 * kMillisecond + 3 * kMicrosecond + 4},
      {"1.5h30s", 90 * kMinute + 30 * kSecond},
      {"+5m", 5 * kMinute},
      {"+0", 0},
  });
}

TEST(ParseDurationTest, FractionsBelowOneNanosecondAreTruncated) {
  ExpectAccepted({
      {"0.0000000009s", 0},
      {"1.9999999999ns", 1},
      {"0.3333333333333333333333333333y", kYear / 3 - 1},  // just below a third
      {"-0.0000000009s", 0},
      {"-1.9ns", -1},
  });
}

TEST(ParseDurationTest, LeadingMinusGivesNegativeDurations) {
  ExpectAccepted({
      {"-5m", -5 * kMinute},
      {"-1h30m", -90 * kMinute},
      {"-0", 0},
      {"-1.5h", -90 * kMinute},
      {"-1ns", -1},
  });
}

TEST(ParseDurationTest, Int64ExtremesAreAccepted) {
  ExpectAccepted({
      {"9223372036854775807ns", kInt64Max},
      {"-9223372036854775808ns", kInt64Min},
      {"292y24w3d23h47m16s854ms775us807ns", kInt64Max},
      {"-292y24w3d23h47m16s854ms775us808ns", kInt64Min},
      {"106751d23h47m16s854ms775us807ns", kInt64Max},
      {"9223372036.854775807s", kInt64Max},
  });
}

TEST(ParseDurationTest, RejectsMalformedInputQuotingIt) {
  struct Rejected {
    const char* text;
    const char* problem;
  };
  const Rejected cases[] = {
      {"", "empty value"},
      {"-", "missing number after the sign"},
      {"+", "missing number after the sign"},
      {"h", "expected a number at column 1, found \"h\""},
      {".", "expected a number at column 1, found \".\""},
      {" 1h", "expected a number at column 1, found \" \""},
      {"--1h", "expected a number at column 2, found \"-\""},
      {"+-1h", "expected a number at column 2, found \"-\""},
      {"5", "missing unit after the number at column 1"},
      {"00", "missing unit after the number at column 1"},
      {"1h5", "missing unit after the number at column 3"},
      {"1.5.5h", "missing unit after the number at column 1"},
      {"5x", "unknown unit \"x\" at column 2"},
      {"0x", "unknown unit \"x\" at column 2"},
      {"5H", "unknown unit \"H\" at column 2 (units are case-sensitive)"},
      {"5MS", "unknown unit \"MS\""},
      {"5sec", "unknown unit \"sec\""},
      {"1e3s", "unknown unit \"e\""},
      {"1\u00b5", "unknown unit \"\u00b5\""},
      {"1h 30m", "unknown unit \"h \" at column 2"},
      {"1h ", "unknown unit \"h \""},
      {"5 m", "unknown unit \" m\""},
      {"1h-5m", "unknown unit \"h-\""},
      {"5m1h", "unit \"h\" at column 4 must come before \"m\""},
      {"1m1m", "unit \"m\" at column 4 must come before \"m\" and appear only once"},
      {"1ms1s", "unit \"s\" at column 5 must come before \"ms\""},
      {"1d1y", "unit \"y\" at column 4 must come before \"d\""},
      {"1us1\u00b5s", "must come before \"us\""},
      {"1ns1us", "must come before \"ns\""},
      {"293y", "too large"},
      {"9223372036854775808ns", "too large"},
      {"-9223372036854775809ns", "too large"},
      {"292y24w3d23h47m16s854ms775us808ns", "too large"},
      {"99999999999999999999999h", "too large"},
      {"106751.99999999999d", "too large"},
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseDuration(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    const std::string message(got.status().message());
    EXPECT_THAT(message, StartsWith("invalid duration \""));
    EXPECT_THAT(message, HasSubstr(c.problem));
    EXPECT_THAT(message, HasSubstr("expected a duration like 30s, 1h30m, 7d or 1.5h"));
  }
}

TEST(ParseDurationTest, ErrorQuotesTheWholeInput) {
  Result<int64_t> got = ParseDuration("5m1h");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()), StartsWith("invalid duration \"5m1h\": "));
}

TEST(FormatDurationTest, UsesPrometheusComponentsLargestFirst) {
  struct Case {
    int64_t nanos;
    const char* text;
  };
  const Case cases[] = {
      {0, "0s"},
      {kSecond, "1s"},
      {90 * kSecond, "1m30s"},
      {90 * kMinute, "1h30m"},
      {250 * kMillisecond, "250ms"},
      {kDay, "1d"},
      {7 * kDay, "1w"},
      {8 * kDay, "1w1d"},
      {14 * kDay, "2w"},
      {30 * kDay, "4w2d"},
      {365 * kDay, "1y"},
      {366 * kDay, "1y1d"},
      {32'230'861'001 * kMillisecond, "1y1w1d1h1m1s1ms"},
      {kHour + 500 * kMillisecond, "1h500ms"},
  };
  for (const Case& c : cases) EXPECT_EQ(FormatDuration(c.nanos), c.text);
}

TEST(FormatDurationTest, SubMillisecondPartsUseUsAndNs) {
  EXPECT_EQ(FormatDuration(1), "1ns");
  EXPECT_EQ(FormatDuration(999), "999ns");
  EXPECT_EQ(FormatDuration(kMicrosecond), "1us");
  EXPECT_EQ(FormatDuration(1'500), "1us500ns");
  EXPECT_EQ(FormatDuration(kSecond + 1), "1s1ns");
  EXPECT_EQ(FormatDuration(1'500 * kMicrosecond), "1ms500us");
}

TEST(FormatDurationTest, NegativeValuesGetALeadingMinus) {
  EXPECT_EQ(FormatDuration(-90 * kSecond), "-1m30s");
  EXPECT_EQ(FormatDuration(-1), "-1ns");
  EXPECT_EQ(FormatDuration(kInt64Max), "292y24w3d23h47m16s854ms775us807ns");
  EXPECT_EQ(FormatDuration(kInt64Min), "-292y24w3d23h47m16s854ms775us808ns");
}

TEST(DurationRoundTripTest, ParseOfFormatIsIdentity) {
  std::vector<int64_t> values = {0, 1, -1, kInt64Max, kInt64Min, kInt64Max - 1, kInt64Min + 1};
  for (int64_t unit :
       {int64_t{1}, kMicrosecond, kMillisecond, kSecond, kMinute, kHour, kDay, kWeek, kYear}) {
    for (int64_t k : {1, 2, 7, 59, 60, 61, 364, 365, 366, 1000}) {
      if (k > kInt64Max / unit - 1) continue;
      values.push_back(k * unit);
      values.push_back(-k * unit);
      values.push_back(k * unit + 1);
      values.push_back(k * unit - 1);
    }
  }
  // A deterministic pseudo-random spread over the whole range.
  uint64_t x = 0x9e3779b97f4a7c15;
  for (int i = 0; i < 10'000; ++i) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    values.push_back(static_cast<int64_t>(x >> (i % 64)));
    values.push_back(-static_cast<int64_t>(x >> (1 + i % 63)));
  }
  for (int64_t v : values) {
    const std::string text = FormatDuration(v);
    Result<int64_t> parsed = ParseDuration(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    ASSERT_EQ(*parsed, v) << text;
  }
}

}  // namespace
}  // namespace silt::time
