#include "aggregator/ingest/pipeline/time_format.h"

#include <gtest/gtest.h>

namespace silt::ingest {
namespace {

constexpr int64_t kSecond = 1'000'000'000;

int64_t ParseOrDie(std::string_view format, std::string_view text, std::string_view zone = "") {
  Result<TimeFormat> f = TimeFormat::Create(format, zone);
  EXPECT_TRUE(f.ok()) << f.status();
  Result<int64_t> t = f->Parse(text);
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
  EXPECT_FALSE(f->Parse("12abc").ok());
  Result<TimeFormat> g = TimeFormat::Create("2006-01-02", "");
  ASSERT_TRUE(g.ok());
  EXPECT_FALSE(g->Parse("14.11.2023").ok());
  EXPECT_FALSE(TimeFormat::Create("RFC3339", "")->Parse("yesterday").ok());
}

}  // namespace
}  // namespace silt::ingest
