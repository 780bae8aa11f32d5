#include "shared/units/byte_size.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace silt::units {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

TEST(ParseByteSizeTest, AcceptsPlainNumbersAsBytes) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  const Case cases[] = {
      {"0", 0},       {"512", 512}, {"512B", 512}, {"512b", 512},
      {"512 B", 512}, {"0B", 0},    {"007", 7},    {"9223372036854775807", kInt64Max},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseByteSize(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.bytes);
  }
}

TEST(ParseByteSizeTest, AcceptsEveryDecimalUnit) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  const Case cases[] = {
      {"1KB", 1'000},
      {"1K", 1'000},
      {"1MB", 1'000'000},
      {"1M", 1'000'000},
      {"1GB", 1'000'000'000},
      {"1G", 1'000'000'000},
      {"1TB", 1'000'000'000'000},
      {"1T", 1'000'000'000'000},
      {"1PB", 1'000'000'000'000'000},
      {"1P", 1'000'000'000'000'000},
      {"1EB", 1'000'000'000'000'000'000},
      {"1E", 1'000'000'000'000'000'000},
      {"9EB", 9'000'000'000'000'000'000},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseByteSize(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.bytes);
  }
}

TEST(ParseByteSizeTest, AcceptsEveryBinaryUnit) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  const Case cases[] = {
      {"1KiB", kKiB}, {"1Ki", kKiB},  {"1MiB", kMiB},     {"1Mi", kMiB},        {"1GiB", kGiB},
      {"1Gi", kGiB},  {"1TiB", kTiB}, {"1Ti", kTiB},      {"1PiB", kPiB},       {"1Pi", kPiB},
      {"1EiB", kEiB}, {"1Ei", kEiB},  {"7EiB", 7 * kEiB}, {"64MiB", 64 * kMiB},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseByteSize(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.bytes);
  }
}

TEST(ParseByteSizeTest, UnitsAreCaseInsensitive) {
  for (const char* text : {"1kib", "1KIB", "1kIb", "1Kib", "1ki", "1KI"}) {
    SCOPED_TRACE(text);
    Result<int64_t> got = ParseByteSize(text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, 1024);
  }
  for (const char* text : {"1kb", "1Kb", "1kB", "1k", "1 kb"}) {
    SCOPED_TRACE(text);
    Result<int64_t> got = ParseByteSize(text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, 1000);
  }
}

TEST(ParseByteSizeTest, OneSpaceBeforeTheUnitIsAllowed) {
  EXPECT_EQ(ParseByteSize("10 KB").value(), 10'000);
  EXPECT_EQ(ParseByteSize("10 KiB").value(), 10 * kKiB);
  EXPECT_EQ(ParseByteSize("1.5 GiB").value(), 3 * kGiB / 2);
}

TEST(ParseByteSizeTest, FractionsRoundToTheNearestByteHalfUp) {
  struct Case {
    const char* text;
    int64_t bytes;
  };
  const Case cases[] = {
      {"1.5GB", 1'500'000'000},
      {"1.5KiB", 1536},
      {"0.5KiB", 512},
      {".5KiB", 512},
      {"2.KiB", 2048},
      {"1.5B", 2},
      {"1.4B", 1},
      {"2.5", 3},
      {"0.0001KB", 0},
      {"0.0005KB", 1},
      {"1.0009765625KiB", 1025},
      {"0.1", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseByteSize(c.text);
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_EQ(*got, c.bytes);
  }
}

TEST(ParseByteSizeTest, LargestValueIsInt64Max) {
  EXPECT_EQ(ParseByteSize("9223372036854775807B").value(), kInt64Max);
  EXPECT_FALSE(ParseByteSize("9223372036854775808").ok());
  EXPECT_FALSE(ParseByteSize("8EiB").ok());
  // 7.999999999999999999 * 2^60 = 2^63 - 1.15 rounds to INT64_MAX; one more 9 rounds to 2^63.
  EXPECT_EQ(ParseByteSize("7.999999999999999999EiB").value(), kInt64Max);
  EXPECT_FALSE(ParseByteSize("7.9999999999999999999EiB").ok());
  EXPECT_FALSE(ParseByteSize("10EB").ok());
  EXPECT_FALSE(ParseByteSize("99999999999999999999999999999999PB").ok());
}

TEST(ParseByteSizeTest, RejectsMalformedInputQuotingIt) {
  struct Case {
    const char* text;
    const char* problem;
  };
  const Case cases[] = {
      {"", "empty value"},
      {"-1", "negative sizes are not allowed"},
      {"-1KiB", "negative sizes are not allowed"},
      {"+1", "missing number"},
      {"KiB", "missing number"},
      {".", "missing number"},
      {" 1KiB", "missing number"},
      {"1KiB ", "unknown unit \"KiB \""},
      {"1  KiB", "more than one space"},
      {"1 ", "trailing space"},
      {"1XB", "unknown unit \"XB\" at column 2"},
      {"1 XB", "unknown unit \"XB\" at column 3"},
      {"1KiBB", "unknown unit"},
      {"1bytes", "unknown unit"},
      {"1.5.5KB", "unknown unit \".5KB\""},
      {"1e3", "unknown unit \"e3\""},
      {"1,5KB", "unknown unit"},
      {"1_000", "unknown unit"},
      {"0x10", "unknown unit"},
      {"1iB", "unknown unit"},
      {"1\tKB", "unknown unit \"\\x09KB\""},
      {"9223372036854775808", "too large"},
      {"8EiB", "too large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    Result<int64_t> got = ParseByteSize(c.text);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(got.status().message()),
                HasSubstr("invalid byte size \"" + std::string(c.text).substr(0, 1)));
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.problem));
    EXPECT_THAT(std::string(got.status().message()), HasSubstr("expected a size like"));
  }
}

TEST(ParseByteSizeTest, ErrorQuotesTheWholeInput) {
  Result<int64_t> got = ParseByteSize("64 MeB");
  ASSERT_FALSE(got.ok());
  EXPECT_THAT(std::string(got.status().message()),
              HasSubstr("invalid byte size \"64 MeB\": unknown unit \"MeB\" at column 4"));
}

TEST(FormatByteSizeTest, PicksTheLargestBinaryUnitThatDividesExactly) {
  struct Case {
    int64_t bytes;
    const char* text;
  };
  const Case cases[] = {
      {0, "0B"},
      {1, "1B"},
      {512, "512B"},
      {1000, "1000B"},
      {1023, "1023B"},
      {1024, "1KiB"},
      {1025, "1025B"},
      {1536, "1536B"},
      {2048, "2KiB"},
      {64 * kMiB, "64MiB"},
      {64 * kMiB + 1, "67108865B"},
      {3 * kGiB / 2, "1536MiB"},
      {kGiB, "1GiB"},
      {5 * kTiB, "5TiB"},
      {kPiB, "1PiB"},
      {kEiB, "1EiB"},
      {7 * kEiB, "7EiB"},
      {kInt64Max, "9223372036854775807B"},
      {-kKiB, "-1KiB"},
      {std::numeric_limits<int64_t>::min(), "-8EiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(FormatByteSize(c.bytes), c.text);
  }
}

TEST(FormatByteSizeTest, RoundTripsThroughParse) {
  std::vector<int64_t> values = {0, 1, 2, 999, 1000, 1023, 1024, 1536, kInt64Max, kInt64Max - 1};
  for (int shift = 0; shift < 63; ++shift) {
    const int64_t p = int64_t{1} << shift;
    values.push_back(p);
    values.push_back(p - 1);
    values.push_back(p + 1);
    values.push_back(3 * (p / 2));
  }
  int64_t power = 1;  // 1000^0 .. 1000^6
  for (int exponent = 0; exponent <= 6; ++exponent) {
    values.push_back(power);
    values.push_back(power * 9);
    if (exponent < 6) power *= 1000;
  }
  for (int64_t v : values) {
    SCOPED_TRACE(v);
    const std::string text = FormatByteSize(v);
    Result<int64_t> parsed = ParseByteSize(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status();
    EXPECT_EQ(*parsed, v) << text;
  }
}

}  // namespace
}  // namespace silt::units
