#include "tests/bench/loggen/flag_values.h"

#include <gtest/gtest.h>

namespace silt::loggen {
namespace {

TEST(FlagValuesTest, RateInEntriesPerSecond) {
  EXPECT_DOUBLE_EQ(*ParseRate("5000"), 5000);
  EXPECT_DOUBLE_EQ(*ParseRate("5000/s"), 5000);
  EXPECT_DOUBLE_EQ(*ParseRate("0"), 0);
  EXPECT_DOUBLE_EQ(*ParseRate("2.5"), 2.5);
}

TEST(FlagValuesTest, RatePerMinuteAndHour) {
  EXPECT_DOUBLE_EQ(*ParseRate("300/m"), 5);
  EXPECT_DOUBLE_EQ(*ParseRate("36/h"), 0.01);
}

TEST(FlagValuesTest, MalformedRateIsRejected) {
  for (const char* text : {"", "/s", "fast", "10/d", "-5", "1e3", "1.2.3", "10 /s"}) {
    Result<double> rate = ParseRate(text);
    ASSERT_FALSE(rate.ok()) << text;
    EXPECT_EQ(rate.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(rate.status().message().find(text), std::string_view::npos);
  }
}

TEST(FlagValuesTest, StartTimeFormats) {
  EXPECT_EQ(*ParseStartTime("now", 123), 123);
  EXPECT_EQ(*ParseStartTime("2024-01-01T00:00:00Z", 0), 1'704'067'200'000'000'000);
  EXPECT_EQ(*ParseStartTime("1704067200", 0), 1'704'067'200'000'000'000);
  EXPECT_EQ(*ParseStartTime("1704067200000000001", 0), 1'704'067'200'000'000'001);
}

TEST(FlagValuesTest, MalformedStartTimeIsRejected) {
  Result<int64_t> start = ParseStartTime("yesterday", 0);
  ASSERT_FALSE(start.ok());
  EXPECT_EQ(start.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(start.status().message().find("\"yesterday\""), std::string_view::npos);
}

}  // namespace
}  // namespace silt::loggen
