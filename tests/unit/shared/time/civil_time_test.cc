#include "shared/time/civil_time.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

namespace silt::time {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

TEST(CivilTimeTest, LeapYearsFollowTheGregorianRule) {
  for (int64_t year : {2000, 2024, 1600, 2400, 4, 0, -4, 1972, 2096}) {
    EXPECT_TRUE(IsLeapYear(year)) << year;
  }
  for (int64_t year : {1900, 2100, 2200, 2300, 2023, 2025, 1, -1, -100, 1970}) {
    EXPECT_FALSE(IsLeapYear(year)) << year;
  }
}

TEST(CivilTimeTest, DaysInMonthCoversFebruaryAndThirtyDayMonths) {
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_EQ(DaysInMonth(2023, 2), 28);
  EXPECT_EQ(DaysInMonth(1900, 2), 28);
  EXPECT_EQ(DaysInMonth(2000, 2), 29);
  EXPECT_EQ(DaysInMonth(2100, 2), 28);
  const int expected[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  for (int month = 1; month <= 12; ++month)
    EXPECT_EQ(DaysInMonth(2023, month), expected[month - 1]);
}

TEST(CivilTimeTest, DaysFromCivilMatchesKnownDates) {
  struct Case {
    int64_t year;
    int month, day;
    int64_t days;
  };
  const Case cases[] = {
      {1970, 1, 1, 0},       {1969, 12, 31, -1}, {2000, 3, 1, 11017},
      {1600, 3, 1, -135080}, {1, 1, 1, -719162}, {9999, 12, 31, 2932896},
      {400, 2, 29, -573372}, {0, 3, 1, -719468}, {2023, 11, 14, 19675},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.year) + "-" + std::to_string(c.month) + "-" +
                 std::to_string(c.day));
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), c.days);
    int64_t year;
    int month, day;
    CivilFromDays(c.days, &year, &month, &day);
    EXPECT_EQ(year, c.year);
    EXPECT_EQ(month, c.month);
    EXPECT_EQ(day, c.day);
  }
}

// Walks every day from 1600-01-01 to 2500-12-31 and checks that day numbers and calendar dates
// advance together, including every month end and leap day.
TEST(CivilTimeTest, EveryDayRoundTripsAcrossNineCenturies) {
  int64_t days = DaysFromCivil(1600, 1, 1);
  for (int64_t year = 1600; year <= 2500; ++year) {
    for (int month = 1; month <= 12; ++month) {
      for (int day = 1; day <= DaysInMonth(year, month); ++day, ++days) {
        ASSERT_EQ(DaysFromCivil(year, month, day), days) << year << "-" << month << "-" << day;
        int64_t y;
        int m, d;
        CivilFromDays(days, &y, &m, &d);
        ASSERT_EQ(y, year);
        ASSERT_EQ(m, month);
        ASSERT_EQ(d, day);
      }
    }
  }
}

TEST(CivilTimeTest, NegativeYearsUseTheProlepticCalendar) {
  // 400 years always have 146097 days, also before year 0.
  EXPECT_EQ(DaysFromCivil(-400, 1, 1) + 146097, DaysFromCivil(0, 1, 1));
  EXPECT_EQ(DaysFromCivil(0, 1, 1) + 366, DaysFromCivil(1, 1, 1));  // year 0 is a leap year
  int64_t year;
  int month, day;
  CivilFromDays(DaysFromCivil(-1, 12, 31), &year, &month, &day);
  EXPECT_EQ(year, -1);
  EXPECT_EQ(month, 12);
  EXPECT_EQ(day, 31);
}

TEST(CivilTimeTest, ToCivilTimeSplitsNanoseconds) {
  EXPECT_EQ(ToCivilTime(0), (CivilTime{1970, 1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(ToCivilTime(1'795'312'323'123'456'789), (CivilTime{2026, 11, 22, 1, 52, 3, 123456789}));
  EXPECT_EQ(ToCivilTime(-1), (CivilTime{1969, 12, 31, 23, 59, 59, 999999999}));
  EXPECT_EQ(ToCivilTime(-1'000'000'000), (CivilTime{1969, 12, 31, 23, 59, 59, 0}));
  EXPECT_EQ(ToCivilTime(-2'203'891'201'000'000'000), (CivilTime{1900, 2, 28, 23, 59, 59, 0}));
  EXPECT_EQ(ToCivilTime(951'782'400'000'000'000), (CivilTime{2000, 2, 29, 0, 0, 0, 0}));
}

TEST(CivilTimeTest, Int64ExtremesHaveCivilTimes) {
  EXPECT_EQ(ToCivilTime(kInt64Min), (CivilTime{1677, 9, 21, 0, 12, 43, 145224192}));
  EXPECT_EQ(ToCivilTime(kInt64Max), (CivilTime{2262, 4, 11, 23, 47, 16, 854775807}));
  EXPECT_EQ(FromCivilTime(CivilTime{1677, 9, 21, 0, 12, 43, 145224192}).value(), kInt64Min);
  EXPECT_EQ(FromCivilTime(CivilTime{2262, 4, 11, 23, 47, 16, 854775807}).value(), kInt64Max);
}

TEST(CivilTimeTest, FromCivilTimeRejectsTimesOutsideInt64) {
  for (const CivilTime& c :
       {CivilTime{1677, 9, 21, 0, 12, 43, 145224191}, CivilTime{2262, 4, 11, 23, 47, 16, 854775808},
        CivilTime{1, 1, 1, 0, 0, 0, 0}, CivilTime{9999, 12, 31, 0, 0, 0, 0},
        CivilTime{-5'000'000, 1, 1, 0, 0, 0, 0}}) {
    Result<int64_t> got = FromCivilTime(c);
    ASSERT_FALSE(got.ok()) << c.year;
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(CivilTimeTest, FromCivilTimeNamesTheBadField) {
  struct Case {
    CivilTime civil;
    const char* message;
  };
  const Case cases[] = {
      {{2023, 0, 1, 0, 0, 0, 0}, "month 0 is out of range 1..12"},
      {{2023, 13, 1, 0, 0, 0, 0}, "month 13"},
      {{2023, 2, 29, 0, 0, 0, 0}, "day 29 is out of range 1..28"},
      {{2023, 4, 31, 0, 0, 0, 0}, "day 31 is out of range 1..30"},
      {{2023, 1, 0, 0, 0, 0, 0}, "day 0"},
      {{2023, 1, 1, 24, 0, 0, 0}, "hour 24"},
      {{2023, 1, 1, -1, 0, 0, 0}, "hour -1"},
      {{2023, 1, 1, 0, 60, 0, 0}, "minute 60"},
      {{2023, 1, 1, 0, 0, 60, 0}, "second 60 is out of range 0..59 (leap seconds"},
      {{2023, 1, 1, 0, 0, 0, 1'000'000'000}, "nanosecond 1000000000"},
      {{2023, 1, 1, 0, 0, 0, -1}, "nanosecond -1"},
  };
  for (const Case& c : cases) {
    Result<int64_t> got = FromCivilTime(c.civil);
    ASSERT_FALSE(got.ok()) << c.message;
    EXPECT_THAT(std::string(got.status().message()), HasSubstr(c.message));
  }
}

TEST(CivilTimeTest, ToAndFromCivilTimeRoundTrip) {
  const int64_t values[] = {0,
                            1,
                            -1,
                            999'999'999,
                            -999'999'999,
                            kInt64Min,
                            kInt64Max,
                            kInt64Min + 1,
                            kInt64Max - 1,
                            1'700'000'000'123'456'789,
                            -2'203'891'201'000'000'001};
  for (int64_t v : values) {
    EXPECT_EQ(FromCivilTime(ToCivilTime(v)).value(), v);
  }
  // A sweep with an odd stride touches every hour, minute, second and many nanoseconds.
  for (int64_t v = kInt64Min; v < kInt64Max - 7'777'777'777'777'777; v += 7'777'777'777'777'777) {
    ASSERT_EQ(FromCivilTime(ToCivilTime(v)).value(), v);
  }
}

}  // namespace
}  // namespace silt::time
