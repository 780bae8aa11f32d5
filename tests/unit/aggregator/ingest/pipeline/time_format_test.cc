#include "aggregator/ingest/pipeline/time_format.h"

#include <gtest/gtest.h>

#include "shared/time/civil_time.h"

namespace silt::ingest {
namespace {

constexpr int64_t kSecond = 1'000'000'000;
// 2023-11-14T22:13:20Z: the reference time of formats that ignore it.
constexpr int64_t kReference = 1'700'000'000 * kSecond;

// Nanoseconds of a UTC date and time.
int64_t Utc(int64_t year, int month, int day, int hour = 0, int minute = 0, int second = 0) {
  Result<int64_t> t = time::FromCivilTime({year, month, day, hour, minute, second, 0});
  EXPECT_TRUE(t.ok()) << t.status();
  return *t;
}

int64_t ParseOrDie(std::string_view format, std::string_view text, std::string_view zone = "") {
  Result<TimeFormat> f = TimeFormat::Create(format, zone);
  EXPECT_TRUE(f.ok()) << f.status();
  Result<int64_t> t = f->Parse(text, kReference);
  EXPECT_TRUE(t.ok()) << t.status();
  return t.ok() ? *t : -1;
}

TEST(TimeFormatTest, Rfc3339AndRfc3339Nano) {
  EXPECT_EQ(ParseOrDie("RFC3339", "2023-11-14T22:13:20Z"), 1'700'000'000 * kSecond);
  EXPECT_EQ(ParseOrDie("RFC3339Nano", "2023-11-14T23:13:20.123456789+01:00"),
            1'700'000'000 * kSecond + 123'456'789);
}

TEST(TimeFormatTest, UnixUnits) {
  EXPECT_EQ(ParseOrDie("Unix", "1700000000"), 1'700'000'000 * kSecond);
  EXPECT_EQ(ParseOrDie("Unix", "1700000000.5"), 1'700'000'000 * kSecond + 500'000'000);
  EXPECT_EQ(ParseOrDie("UnixMs", "1700000000123"), 1'700'000'000 * kSecond + 123'000'000);
  EXPECT_EQ(ParseOrDie("UnixUs", "1700000000123456"), 1'700'000'000 * kSecond + 123'456'000);
  EXPECT_EQ(ParseOrDie("UnixNs", "1700000000123456789"), 1'700'000'000 * kSecond + 123'456'789);
}

TEST(TimeFormatTest, GoLayoutAndNamedLayouts) {
  EXPECT_EQ(ParseOrDie("2006-01-02 15:04:05.000", "2023-11-14 22:13:20.250"),
            1'700'000'000 * kSecond + 250'000'000);
  EXPECT_EQ(ParseOrDie("RFC1123Z", "Tue, 14 Nov 2023 22:13:20 +0000"), 1'700'000'000 * kSecond);
  EXPECT_EQ(ParseOrDie("02/Jan/2006:15:04:05 -0700", "14/Nov/2023:23:13:20 +0100"),
            1'700'000'000 * kSecond);
}

TEST(TimeFormatTest, LocationAppliesToTimesWithoutZone) {
  EXPECT_EQ(ParseOrDie("2006-01-02 15:04:05", "2023-11-14 23:13:20", "Europe/Berlin"),
            1'700'000'000 * kSecond);
}

TEST(TimeFormatTest, UnknownFormatListsTheNames) {
  Result<TimeFormat> f = TimeFormat::Create("ISO", "");
  ASSERT_FALSE(f.ok());
  EXPECT_NE(f.status().message().find("unknown time format \"ISO\""), std::string_view::npos);
  EXPECT_NE(f.status().message().find("RFC3339Nano"), std::string_view::npos);
}

TEST(TimeFormatTest, UnknownLocationIsAnError) {
  EXPECT_FALSE(TimeFormat::Create("RFC3339", "Mars/Olympus_Mons").ok());
}

TEST(TimeFormatTest, TextThatDoesNotMatchIsAnError) {
  Result<TimeFormat> f = TimeFormat::Create("UnixMs", "");
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->Parse("12abc", kReference).ok());
  Result<TimeFormat> g = TimeFormat::Create("2006-01-02", "");
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->Parse("14.11.2023", kReference).ok());
  EXPECT_FALSE(TimeFormat::Create("RFC3339", "")->Parse("yesterday", kReference).ok());
}

// Promtail's rule for layouts without a year: the reference's year, moved across New Year.
TEST(TimeFormatTest, LayoutWithoutAYearTakesTheReferencesYear) {
  Result<TimeFormat> stamp = TimeFormat::Create("Stamp", "");
  ASSERT_TRUE(stamp.ok());
  EXPECT_TRUE(stamp->yearless());
  EXPECT_EQ(stamp->Parse("Jul 15 01:02:03", Utc(2019, 7, 14)).value_or(-1),
            Utc(2019, 7, 15, 1, 2, 3));
  EXPECT_EQ(stamp->Parse("Mar  1 10:00:00", Utc(2030, 11, 2)).value_or(-1),
            Utc(2030, 3, 1, 10, 0, 0));
  // A December line read in January is from last year; a January line read in December (a
  // clock ahead of the reader's) is from next year.
  EXPECT_EQ(stamp->Parse("Dec 31 23:59:59", Utc(2024, 1, 1, 0, 0, 5)).value_or(-1),
            Utc(2023, 12, 31, 23, 59, 59));
  EXPECT_EQ(stamp->Parse("Jan  1 00:00:01", Utc(2023, 12, 31, 23, 59, 59)).value_or(-1),
            Utc(2024, 1, 1, 0, 0, 1));
  EXPECT_EQ(ParseOrDie("StampMilli", "Nov 14 22:13:20.250"), kReference + 250'000'000);
  EXPECT_EQ(ParseOrDie("Jan 02 15:04:05", "Nov 14 22:13:20"), kReference);
  EXPECT_FALSE(TimeFormat::Create("RFC3339", "")->yearless());
  EXPECT_FALSE(TimeFormat::Create("02 Jan 06 15:04", "")->yearless());  // a two-digit year
}

TEST(TimeFormatTest, YearIsTheReferencesInTheLocation) {
  // 2023-12-31T23:30:00Z is already 2024-01-01 in Berlin: a December time is then last year's.
  Result<TimeFormat> stamp = TimeFormat::Create("Stamp", "Europe/Berlin");
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(stamp->Parse("Dec 31 23:00:00", Utc(2023, 12, 31, 23, 30)).value_or(-1),
            Utc(2023, 12, 31, 22, 0, 0));
  // Summer time of the taken year applies: 12:00 in Berlin in July is 10:00 UTC.
  EXPECT_EQ(stamp->Parse("Jul  1 12:00:00", Utc(2024, 6, 1)).value_or(-1),
            Utc(2024, 7, 1, 10, 0, 0));
}

TEST(TimeFormatTest, KitchenIsTheFirstOfJanuaryOfTheReferencesYear) {
  Result<TimeFormat> kitchen = TimeFormat::Create("Kitchen", "");
  ASSERT_TRUE(kitchen.ok());
  EXPECT_EQ(kitchen->Parse("3:04PM", Utc(2025, 6, 1)).value_or(-1), Utc(2025, 1, 1, 15, 4, 0));
}

TEST(TimeFormatTest, YearlessErrorsQuoteTheTextAsWritten) {
  Result<TimeFormat> stamp = TimeFormat::Create("Stamp", "");
  ASSERT_TRUE(stamp.ok());
  Result<int64_t> bad = stamp->Parse("Foo 15 01:02:03", kReference);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("Foo 15 01:02:03"), std::string_view::npos)
      << bad.status();
  EXPECT_EQ(bad.status().message().find("2023 Foo"), std::string_view::npos) << bad.status();
  // February 29th in a year that has none.
  Result<int64_t> leap = stamp->Parse("Feb 29 12:00:00", Utc(2023, 3, 1));
  ASSERT_FALSE(leap.ok());
  EXPECT_NE(leap.status().message().find("no date in 2023"), std::string_view::npos)
      << leap.status();
  EXPECT_EQ(stamp->Parse("Feb 29 12:00:00", Utc(2024, 3, 1)).value_or(-1),
            Utc(2024, 2, 29, 12, 0, 0));
}

}  // namespace
}  // namespace silt::ingest
