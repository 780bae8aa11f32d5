#include "shared/time/timestamp.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
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
constexpr int64_t kExample = 1'795'312'323'123'456'789;  // 2026-11-22T01:52:03.123456789Z
constexpr int64_t kExampleSecond = 1'795'312'323'000'000'000;

struct Accepted {
  const char* text;
  int64_t nanos;
};

struct Rejected {
  const char* text;
  const char* problem;
};

std::string Message(const Status& status) { return std::string(status.message()); }

TEST(ParseRfc3339Test, AcceptsValidTimestamps) {
  const Accepted cases[] = {
      {"2026-11-22T01:52:03.123456789Z", kExample},
      {"2026-11-22T01:52:03Z", kExampleSecond},
      {"2026-11-22t01:52:03z", kExampleSecond},
      {"2026-11-22T01:52:03.1Z", kExampleSecond + 100'000'000},
      {"2026-11-22T01:52:03.12Z", kExampleSecond + 120'000'000},
      {"2026-11-22T01:52:03.000000001Z", kExampleSecond + 1},
      {"2026-11-22T01:52:03.000000000Z", kExampleSecond},
      {"2026-11-22T01:52:03.123456Z", kExampleSecond + 123'456'000},
      {"1970-01-01T00:00:00Z", 0},
      {"1970-01-01T00:00:00.000000001Z", 1},
      {"1969-12-31T23:59:59.999999999Z", -1},
      {"1969-12-31T23:59:59Z", -1'000'000'000},
      {"2023-11-14T22:13:20Z", 1'700'000'000'000'000'000},
      {"2001-09-09T01:46:40Z", 1'000'000'000'000'000'000},
      {"2000-02-29T00:00:00Z", 951'782'400'000'000'000},
      {"2024-02-29T12:00:00Z", 1'709'208'000'000'000'000},
      {"1900-02-28T23:59:59Z", -2'203'891'201'000'000'000},
      {"2100-02-28T00:00:00Z", 4'107'456'000'000'000'000},
      {"2026-12-31T23:59:59.999999999Z", 1'798'761'599'999'999'999},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseRfc3339(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseRfc3339Test, OffsetsAreSubtractedToGetUtc) {
  const Accepted cases[] = {
      {"2026-11-22T03:52:03+02:00", kExampleSecond},
      {"2026-11-21T20:52:03-05:00", kExampleSecond},
      {"2026-11-22T07:22:03+05:30", kExampleSecond},
      {"2026-11-22T01:52:03+00:00", kExampleSecond},
      {"2026-11-22T01:52:03-00:00", kExampleSecond},
      {"2026-11-23T01:51:03+23:59", kExampleSecond},
      {"2026-11-21T01:53:03-23:59", kExampleSecond},
      {"2026-11-22T03:52:03.123456789+02:00", kExample},
      {"1970-01-01T01:00:00+01:00", 0},
      {"1969-12-31T23:00:00-01:00", 0},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseRfc3339(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseRfc3339Test, FractionDigitsPastNineAreTruncatedAsGoDoes) {
  EXPECT_EQ(ParseRfc3339("2026-11-22T01:52:03.1234567891Z").value(), kExample);
  EXPECT_EQ(ParseRfc3339("2026-11-22T01:52:03.123456789999999Z").value(), kExample);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59.9999999999Z").value(), -1);
  EXPECT_EQ(ParseRfc3339("2026-11-22T01:52:03." + std::string(100, '0') + "Z").value(),
            kExampleSecond);
}

TEST(ParseRfc3339Test, Int64BoundariesAreInclusive) {
  EXPECT_EQ(ParseRfc3339("1677-09-21T00:12:43.145224192Z").value(), kInt64Min);
  EXPECT_EQ(ParseRfc3339("2262-04-11T23:47:16.854775807Z").value(), kInt64Max);
  // The same instants written with offsets whose local date lies outside the range.
  EXPECT_EQ(ParseRfc3339("1677-09-20T23:12:43.145224192-01:00").value(), kInt64Min);
  EXPECT_EQ(ParseRfc3339("2262-04-12T01:47:16.854775807+02:00").value(), kInt64Max);
}

TEST(ParseRfc3339Test, TimesOutsideInt64AreRejected) {
  const Rejected cases[] = {
      {"1677-09-21T00:12:43.145224191Z", "outside the representable range"},
      {"2262-04-11T23:47:16.854775808Z", "outside the representable range"},
      {"2262-04-11T23:47:16.854775807-00:01", "outside the representable range"},
      {"1677-09-21T00:12:43.145224192+00:01", "outside the representable range"},
      {"0001-01-01T00:00:00Z", "outside the representable range"},
      {"9999-12-31T23:59:59.999999999Z", "outside the representable range"},
      {"0000-01-01T00:00:00Z", "outside the representable range"},
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseRfc3339(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(got.status()),
                StartsWith("invalid RFC 3339 timestamp \"" + std::string(c.text) + "\": "));
    EXPECT_THAT(Message(got.status()), HasSubstr(c.problem));
    EXPECT_THAT(Message(got.status()),
                HasSubstr("1677-09-21T00:12:43.145224192Z..2262-04-11T23:47:16.854775807Z"));
  }
}

TEST(ParseRfc3339Test, RejectsMalformedInputNamingTheColumn) {
  const Rejected cases[] = {
      {"", "empty value"},
      {"2026-11-22", "column 11: expected 'T' between date and time, found end of input"},
      {"2026-11-22 01:52:03Z", "column 11: expected 'T' between date and time, found \" \""},
      {"2026-11-22T01:52:03", "column 20: expected time zone 'Z' or +hh:mm"},
      {"2026-11-22T01:52:03.123456789", "column 30: expected time zone"},
      {"2026-11-22T01:52Z", "column 17: expected ':' after the minute, found \"Z\""},
      {"2026-11-22T01Z", "column 14: expected ':' after the hour"},
      {"26-11-22T01:52:03Z", "column 3: expected 4-digit year, found \"-\""},
      {"2026/11/22T01:52:03Z", "column 5: expected '-' after the year, found \"/\""},
      {"2026-1-22T01:52:03Z", "column 7: expected 2-digit month, found \"-\""},
      {"2026-11-2T01:52:03Z", "column 10: expected 2-digit day, found \"T\""},
      {"2026-11-22T1:52:03Z", "column 13: expected 2-digit hour, found \":\""},
      {"2026-11-22T01:5:03Z", "column 16: expected 2-digit minute"},
      {"2026-11-22T01:52:3Z", "column 19: expected 2-digit second"},
      {"2026-11-22T01:52:03.Z", "column 21: expected digits after '.', found \"Z\""},
      {"2026-11-22T01:52:03,5Z",
       "column 20: expected time zone 'Z' or +hh:mm / -hh:mm, found \",\""},
      {"2026-11-22T01:52:03+0200", "column 23: expected ':' in the time zone offset"},
      {"2026-11-22T01:52:03+2:00", "column 22: expected 2-digit offset hour, found \":\""},
      {"2026-11-22T01:52:03+02", "column 23: expected ':' in the time zone offset, found end"},
      {"2026-11-22T01:52:03+02:0", "column 25: expected 2-digit offset minute, found end of input"},
      {"2026-11-22T01:52:03UTC", "column 20: expected time zone"},
      {"2026-11-22T01:52:03Zjunk", "column 21: unexpected \"junk\" after the time zone"},
      {"2026-11-22T01:52:03Z ", "column 21: unexpected \" \" after the time zone"},
      {"2026-11-22T01:52:03+02:00:00", "column 26: unexpected \":00\""},
      {" 2026-11-22T01:52:03Z", "column 1: expected 4-digit year, found \" \""},
      {"+2026-11-22T01:52:03Z", "column 1: expected 4-digit year"},
      {"12026-11-22T01:52:03Z", "column 5: expected '-' after the year, found \"6\""},
      {"\xef\xbc\x92"
       "026-11-22T01:52:03Z",
       "column 1: expected 4-digit year"},
      {"2026-11-22T01:52:03.12a4Z", "column 23: expected time zone"},
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseRfc3339(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(got.status()), StartsWith("invalid RFC 3339 timestamp \""));
    EXPECT_THAT(Message(got.status()), HasSubstr(c.problem));
  }
}

TEST(ParseRfc3339Test, RejectsOutOfRangeFields) {
  const Rejected cases[] = {
      {"2026-13-01T00:00:00Z", "column 6: month 13 is out of range 01..12"},
      {"2026-00-01T00:00:00Z", "column 6: month 00 is out of range 01..12"},
      {"2026-11-00T00:00:00Z", "column 9: day 00 is out of range 01..31"},
      {"2026-11-32T00:00:00Z", "column 9: day 32 is out of range 01..31"},
      {"2026-02-29T00:00:00Z", "column 9: day 29 does not exist in 2026-02 (01..28)"},
      {"1900-02-29T00:00:00Z", "column 9: day 29 does not exist in 1900-02 (01..28)"},
      {"2100-02-29T00:00:00Z", "column 9: day 29 does not exist in 2100-02 (01..28)"},
      {"2024-02-30T00:00:00Z", "column 9: day 30 does not exist in 2024-02 (01..29)"},
      {"2026-04-31T00:00:00Z", "column 9: day 31 does not exist in 2026-04 (01..30)"},
      {"2026-06-31T00:00:00Z", "day 31 does not exist in 2026-06"},
      {"2026-09-31T00:00:00Z", "day 31 does not exist in 2026-09"},
      {"2026-11-31T00:00:00Z", "day 31 does not exist in 2026-11"},
      {"2026-11-22T24:00:00Z", "column 12: hour 24 is out of range 00..23"},
      {"2026-11-22T01:60:00Z", "column 15: minute 60 is out of range 00..59"},
      {"2026-12-31T23:59:60Z",
       "column 18: second 60 is out of range 00..59 (leap seconds are not representable)"},
      {"2026-11-22T01:52:03+24:00", "column 21: offset hour 24 is out of range 00..23"},
      {"2026-11-22T01:52:03+02:60", "column 24: offset minute 60 is out of range 00..59"},
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseRfc3339(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_THAT(Message(got.status()),
                StartsWith("invalid RFC 3339 timestamp \"" + std::string(c.text) + "\": "));
    EXPECT_THAT(Message(got.status()), HasSubstr(c.problem));
  }
}

TEST(ParseRfc3339Test, LeapDaysExistOnlyInLeapYears) {
  for (const char* year : {"2000", "2024", "1904", "2096", "2204"}) {
    EXPECT_TRUE(ParseRfc3339(std::string(year) + "-02-29T00:00:00Z").ok()) << year;
  }
  for (const char* year : {"1900", "2100", "2200", "2023", "1970"}) {
    EXPECT_FALSE(ParseRfc3339(std::string(year) + "-02-29T00:00:00Z").ok()) << year;
  }
}

TEST(ParseRfc3339Test, ErrorQuotesControlCharactersEscaped) {
  Result<int64_t> got = ParseRfc3339("2026-11-22T01:52:03\nZ");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(Message(got.status()),
              StartsWith("invalid RFC 3339 timestamp \"2026-11-22T01:52:03\\x0aZ\": column 20"));
}

TEST(FormatRfc3339NanoTest, TrimsTrailingZerosLikeGo) {
  const Accepted cases[] = {
      {"1970-01-01T00:00:00Z", 0},
      {"2026-11-22T01:52:03.123456789Z", kExample},
      {"2026-11-22T01:52:03Z", kExampleSecond},
      {"2026-11-22T01:52:03.12Z", kExampleSecond + 120'000'000},
      {"2026-11-22T01:52:03.1Z", kExampleSecond + 100'000'000},
      {"2026-11-22T01:52:03.000000001Z", kExampleSecond + 1},
      {"2026-11-22T01:52:03.00001Z", kExampleSecond + 10'000},
      {"1969-12-31T23:59:59.999999999Z", -1},
      {"1969-12-31T23:59:59Z", -1'000'000'000},
      {"1969-12-31T23:59:59.5Z", -500'000'000},
      {"2023-11-14T22:13:20Z", 1'700'000'000'000'000'000},
      {"2000-02-29T00:00:00Z", 951'782'400'000'000'000},
      {"1900-02-28T23:59:59Z", -2'203'891'201'000'000'000},
      {"1677-09-21T00:12:43.145224192Z", kInt64Min},
      {"2262-04-11T23:47:16.854775807Z", kInt64Max},
  };
  for (const Accepted& c : cases) {
    EXPECT_EQ(FormatRfc3339Nano(c.nanos), c.text);
  }
}

TEST(FormatRfc3339FixedTest, AlwaysWritesNineFractionDigits) {
  EXPECT_EQ(FormatRfc3339Fixed(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(FormatRfc3339Fixed(kExample), "2026-11-22T01:52:03.123456789Z");
  EXPECT_EQ(FormatRfc3339Fixed(kExampleSecond + 120'000'000), "2026-11-22T01:52:03.120000000Z");
  EXPECT_EQ(FormatRfc3339Fixed(-1), "1969-12-31T23:59:59.999999999Z");
  EXPECT_EQ(FormatRfc3339Fixed(kInt64Min), "1677-09-21T00:12:43.145224192Z");
  EXPECT_EQ(FormatRfc3339Fixed(kInt64Max), "2262-04-11T23:47:16.854775807Z");
}

std::vector<int64_t> InterestingTimes() {
  std::vector<int64_t> values = {0,
                                 1,
                                 -1,
                                 999'999'999,
                                 -999'999'999,
                                 kInt64Min,
                                 kInt64Max,
                                 kInt64Min + 1,
                                 kInt64Max - 1,
                                 kExample,
                                 -2'203'891'201'000'000'001,
                                 951'782'399'999'999'999};
  for (int64_t v = kInt64Min; v < kInt64Max - 98'765'432'109'876'543; v += 98'765'432'109'876'543) {
    values.push_back(v);
  }
  return values;
}

TEST(FormatRfc3339FixedTest, TextOrderEqualsTimeOrder) {
  std::vector<int64_t> values = InterestingTimes();
  std::sort(values.begin(), values.end());
  for (size_t i = 1; i < values.size(); ++i) {
    if (values[i - 1] == values[i]) continue;
    EXPECT_LT(FormatRfc3339Fixed(values[i - 1]), FormatRfc3339Fixed(values[i])) << values[i];
    EXPECT_EQ(FormatRfc3339Fixed(values[i]).size(), 30u);
  }
}

TEST(Rfc3339RoundTripTest, ParseOfFormatIsIdentity) {
  for (int64_t v : InterestingTimes()) {
    SCOPED_TRACE(v);
    EXPECT_EQ(ParseRfc3339(FormatRfc3339Nano(v)).value(), v);
    EXPECT_EQ(ParseRfc3339(FormatRfc3339Fixed(v)).value(), v);
  }
}

TEST(ParseUnixTest, AcceptsEveryUnit) {
  struct Case {
    const char* text;
    UnixUnit unit;
    int64_t nanos;
  };
  const Case cases[] = {
      {"1700000000", UnixUnit::kSeconds, 1'700'000'000'000'000'000},
      {"1700000000.5", UnixUnit::kSeconds, 1'700'000'000'500'000'000},
      {"1700000000.123456789", UnixUnit::kSeconds, 1'700'000'000'123'456'789},
      {"-1.5", UnixUnit::kSeconds, -1'500'000'000},
      {".5", UnixUnit::kSeconds, 500'000'000},
      {"5.", UnixUnit::kSeconds, 5'000'000'000},
      {"+5", UnixUnit::kSeconds, 5'000'000'000},
      {"0", UnixUnit::kSeconds, 0},
      {"-0", UnixUnit::kSeconds, 0},
      {"00000000001", UnixUnit::kSeconds, 1'000'000'000},
      {"1.0000000009", UnixUnit::kSeconds, 1'000'000'000},
      {"-1.0000000009", UnixUnit::kSeconds, -1'000'000'000},
      {"9223372036.854775807", UnixUnit::kSeconds, kInt64Max},
      {"-9223372036.854775808", UnixUnit::kSeconds, kInt64Min},
      {"1700000000123", UnixUnit::kMillis, 1'700'000'000'123'000'000},
      {"1700000000123.456", UnixUnit::kMillis, 1'700'000'000'123'456'000},
      {"-1", UnixUnit::kMillis, -1'000'000},
      {"1700000000123456", UnixUnit::kMicros, 1'700'000'000'123'456'000},
      {"1700000000123456.789", UnixUnit::kMicros, 1'700'000'000'123'456'789},
      {"1700000000123456789", UnixUnit::kNanos, 1'700'000'000'123'456'789},
      {"9223372036854775807", UnixUnit::kNanos, kInt64Max},
      {"-9223372036854775808", UnixUnit::kNanos, kInt64Min},
      {"-1", UnixUnit::kNanos, -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseUnix(c.text, c.unit);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseUnixTest, RejectsMalformedAndOverflowingNumbers) {
  struct Case {
    const char* text;
    UnixUnit unit;
    const char* problem;
  };
  const Case cases[] = {
      {"", UnixUnit::kSeconds, "expected an integer with an optional fraction"},
      {"abc", UnixUnit::kSeconds, "expected an integer"},
      {"1e9", UnixUnit::kSeconds, "expected an integer"},
      {" 1", UnixUnit::kSeconds, "expected an integer"},
      {"1 ", UnixUnit::kSeconds, "expected an integer"},
      {".", UnixUnit::kSeconds, "expected an integer"},
      {"-", UnixUnit::kSeconds, "expected an integer"},
      {"+", UnixUnit::kSeconds, "expected an integer"},
      {"--1", UnixUnit::kSeconds, "expected an integer"},
      {"+-1", UnixUnit::kSeconds, "expected an integer"},
      {"1..5", UnixUnit::kSeconds, "expected an integer"},
      {"1.5.", UnixUnit::kSeconds, "expected an integer"},
      {"0x10", UnixUnit::kSeconds, "expected an integer"},
      {"1,5", UnixUnit::kSeconds, "expected an integer"},
      {"1_000", UnixUnit::kMillis, "expected an integer"},
      {"1.5", UnixUnit::kNanos, "nanoseconds cannot have a fraction"},
      {"1.", UnixUnit::kNanos, "nanoseconds cannot have a fraction"},
      {"", UnixUnit::kNanos, "expected an integer, e.g. 1700000000000000000"},
      {"9223372037", UnixUnit::kSeconds, "out of range"},
      {"9223372036.854775808", UnixUnit::kSeconds, "out of range"},
      {"-9223372036.854775809", UnixUnit::kSeconds, "out of range"},
      {"9223372036855", UnixUnit::kMillis, "out of range"},
      {"9223372036854776", UnixUnit::kMicros, "out of range"},
      {"9223372036854775808", UnixUnit::kNanos, "out of range"},
      {"-9223372036854775809", UnixUnit::kNanos, "out of range"},
      {"99999999999999999999999999", UnixUnit::kNanos, "out of range"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseUnix(c.text, c.unit);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(got.status()), HasSubstr("\"" + std::string(c.text) + "\""));
    EXPECT_THAT(Message(got.status()), HasSubstr(c.problem));
  }
}

TEST(ParseUnixTest, ErrorNamesTheUnit) {
  EXPECT_THAT(Message(ParseUnix("x", UnixUnit::kSeconds).status()),
              StartsWith("invalid unix timestamp in seconds \"x\""));
  EXPECT_THAT(Message(ParseUnix("x", UnixUnit::kMillis).status()),
              StartsWith("invalid unix timestamp in milliseconds \"x\""));
  EXPECT_THAT(Message(ParseUnix("x", UnixUnit::kMicros).status()),
              StartsWith("invalid unix timestamp in microseconds \"x\""));
  EXPECT_THAT(Message(ParseUnix("x", UnixUnit::kNanos).status()),
              StartsWith("invalid unix timestamp in nanoseconds \"x\""));
}

TEST(ParseUnixTest, RoundTripsFormattedIntegers) {
  for (int64_t v : InterestingTimes()) {
    EXPECT_EQ(ParseUnix(std::to_string(v), UnixUnit::kNanos).value(), v);
    if (v % 1'000'000'000 == 0) {
      EXPECT_EQ(ParseUnix(std::to_string(v / 1'000'000'000), UnixUnit::kSeconds).value(), v);
    }
  }
}

TEST(ParseLokiTimeTest, IntegersOfUpToTenCharactersAreSeconds) {
  const Accepted cases[] = {
      {"1700000000", 1'700'000'000'000'000'000},
      {"170000000", 170'000'000'000'000'000},
      {"0", 0},
      {"1", 1'000'000'000},
      {"-86400", -86'400'000'000'000},
      {"-100000000", -100'000'000'000'000'000},
      {"+170000000", 170'000'000'000'000'000},
      {"0000000001", 1'000'000'000},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseLokiTime(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseLokiTimeTest, LongerIntegersAreNanoseconds) {
  const Accepted cases[] = {
      {"17000000000", 17'000'000'000},
      // Milliseconds are not recognised: 13 digits are nanoseconds, as in Loki.
      {"1700000000000", 1'700'000'000'000},
      {"1700000000123456789", 1'700'000'000'123'456'789},
      {"-1000000000", -1'000'000'000},  // 11 characters with the sign
      {"00000000001", 1},
      {"9223372036854775807", kInt64Max},
      {"-9223372036854775808", kInt64Min},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseLokiTime(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseLokiTimeTest, DecimalsAreSecondsRoundedToMilliseconds) {
  const Accepted cases[] = {
      {"1700000000.5", 1'700'000'000'500'000'000},
      {"1700000000.123", 1'700'000'000'123'000'000},
      {"1700000000.1234567", 1'700'000'000'123'000'000},
      {"1700000000.1235", 1'700'000'000'124'000'000},
      {"1700000000.0005", 1'700'000'000'001'000'000},
      {"1700000000.0004999", 1'700'000'000'000'000'000},
      {"-1.0005", -1'001'000'000},
      {"-1.5", -1'500'000'000},
      {"-0.0004", 0},
      {".5", 500'000'000},
      {"5.", 5'000'000'000},
      {"+5.25", 5'250'000'000},
  };
  for (const Accepted& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseLokiTime(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.nanos);
  }
}

TEST(ParseLokiTimeTest, OtherTextIsRfc3339) {
  EXPECT_EQ(ParseLokiTime("2026-11-22T01:52:03.123456789Z").value(), kExample);
  EXPECT_EQ(ParseLokiTime("2026-11-22T01:52:03Z").value(), kExampleSecond);
  EXPECT_EQ(ParseLokiTime("2026-11-22T03:52:03+02:00").value(), kExampleSecond);
}

TEST(ParseLokiTimeTest, RejectsWithTheMostSpecificMessage) {
  const Rejected cases[] = {
      {"", "expected RFC 3339 (2026-11-22T01:52:03Z), unix seconds"},
      {"now", "expected RFC 3339"},
      {"1e9", "expected RFC 3339"},
      {"1.7e9", "expected RFC 3339"},
      {"now-1h", "expected RFC 3339"},
      {"2026-13-01T00:00:00Z", "month 13 is out of range"},
      {"2026-11-22", "column 11: expected 'T'"},
      {"2026-11-22T01:52:03.Z", "expected digits after '.'"},
      {"9223372036854775808", "out of range"},
      {"-9223372036854775809", "out of range"},
      {"9999999999", "out of range"},  // 10 characters: seconds, past 2262
      {"9223372036.9", "out of range"},
      {"-9223372037.0", "out of range"},
      {"1700000000000.0", "out of range"},  // decimals are seconds whatever their length
  };
  for (const Rejected& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseLokiTime(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(got.status()), HasSubstr("\"" + std::string(c.text) + "\""));
    EXPECT_THAT(Message(got.status()), HasSubstr(c.problem));
  }
}

TEST(ParseLokiTimeTest, RoundTripsWhatLokiEmits) {
  for (int64_t v : InterestingTimes()) {
    SCOPED_TRACE(v);
    EXPECT_EQ(ParseLokiTime(FormatRfc3339Nano(v)).value(), v);
    if (std::to_string(v).size() > 10) {
      EXPECT_EQ(ParseLokiTime(std::to_string(v)).value(), v);
    }
  }
}

}  // namespace
}  // namespace silt::time
