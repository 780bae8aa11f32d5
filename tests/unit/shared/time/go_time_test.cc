// Tests for Go reference-layout formatting and parsing and tz database zones (go_time.h).
#include "shared/time/go_time.h"

#include <gtest/gtest.h>

namespace silt::time {
namespace {

constexpr int64_t kT = 1709618828;  // 2024-03-05T06:07:08Z, a Tuesday

TEST(GoTimeTest, FormatsEveryLayoutElement) {
  GoTime t{kT, 123456789, 0, "UTC"};
  EXPECT_EQ(FormatGoTime(t, "2006 06 01 1 Jan January 02 2 _2 002 __2"),
            "2024 24 03 3 Mar March 05 5  5 065  65");
  EXPECT_EQ(FormatGoTime(t, "15 03 3 04 4 05 5 PM pm Mon Monday"),
            "06 06 6 07 7 08 8 AM am Tue Tuesday");
  EXPECT_EQ(FormatGoTime(t, ".000 .999999 ,00 .999999999"), ".123 .123456 ,12 .123456789");
  EXPECT_EQ(FormatGoTime(t, "MST -0700 -07:00 -07 Z07:00 -07:00:00"),
            "UTC +0000 +00:00 +00 Z +00:00:00");
}

TEST(GoTimeTest, FormatsOffsetsAndNamelessZones) {
  GoTime t{kT, 0, -(5 * 3600 + 30 * 60), ""};
  EXPECT_EQ(FormatGoTime(t, "15:04 -0700 Z07:00 MST"), "00:37 -0530 -05:30 -0530");
}

TEST(GoTimeTest, StringIsGoTimeString) {
  EXPECT_EQ(GoTimeString(GoTime{kT, 500000000, 0, "UTC"}), "2024-03-05 06:07:08.5 +0000 UTC");
  EXPECT_EQ(GoTimeString(GoTime()), "0001-01-01 00:00:00 +0000 UTC");
  EXPECT_EQ(GoTimeString(GoTimeFromUnixNanos(-1)), "1969-12-31 23:59:59.999999999 +0000 UTC");
}

TEST(GoTimeTest, DigitsThatAreNotElementsStayText) {
  GoTime t{kT, 0, 0, "UTC"};
  EXPECT_EQ(FormatGoTime(t, "7 8 9 .0x"), "7 8 9 .0x");
  EXPECT_EQ(FormatGoTime(t, "_2006"), "_2024");
}

TEST(GoTimeTest, ParsesWithDefaultsAndZones) {
  Result<GoTime> t =
      ParseGoTime("2006-01-02 15:04:05.000 -0700", "2024-03-05 10:00:00.250 +0200", GoZone());
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->seconds, kT - 6 * 3600 - 7 * 60 - 8 + 8 * 3600);
  EXPECT_EQ(t->nanos, 250000000);
  EXPECT_EQ(t->offset, 7200);
  Result<GoTime> clock = ParseGoTime("15:04", "13:30", GoZone());
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ(FormatGoTime(*clock, "2006-01-02 15:04"), "0000-01-01 13:30");
}

TEST(GoTimeTest, ParseRejectsMismatchesWithAClearMessage) {
  Result<GoTime> t = ParseGoTime("2006-01-02", "2024/03/05", GoZone());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "cannot parse \"2024/03/05\" as \"2006-01-02\": expected \"-\"");
  EXPECT_FALSE(ParseGoTime("2006-01-02", "2024-13-01", GoZone()).ok());
  EXPECT_FALSE(ParseGoTime("2006-01-02", "2023-02-29", GoZone()).ok());
  EXPECT_FALSE(ParseGoTime("2006", "2024 extra", GoZone()).ok());
  EXPECT_FALSE(ParseGoTime("15:04:05.000", "10:00:00.25", GoZone()).ok());
}

TEST(GoTimeTest, LoadsTzDatabaseZones) {
  Result<GoZone> berlin = GoZone::Load("Europe/Berlin");
  ASSERT_TRUE(berlin.ok()) << berlin.status();
  EXPECT_EQ(FormatGoTime(berlin->At(kT, 0), "15:04 MST"), "07:07 CET");
  EXPECT_EQ(FormatGoTime(berlin->At(kT + 120 * 86400, 0), "15:04 MST"), "08:07 CEST");
  Result<GoZone> missing = GoZone::Load("Nowhere/City");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(GoZone::Load("../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(GoZone::Load("UTC").ok());
}

}  // namespace
}  // namespace silt::time
