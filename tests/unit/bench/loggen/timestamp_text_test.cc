#include "tests/bench/loggen/timestamp_text.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "shared/time/timestamp.h"
#include "tests/bench/loggen/rng.h"

namespace silt::loggen {
namespace {

constexpr int64_t kStart2024 = 1'704'067'200'000'000'000;  // 2024-01-01T00:00:00Z

std::string Rfc3339(TimestampText& times, int64_t ns, int digits) {
  TextBuffer out;
  times.AppendRfc3339(ns, digits, &out);
  return std::string(out.view());
}

TEST(TimestampTextTest, Rfc3339NanoMatchesSharedFormatter) {
  TimestampText times;
  Rng rng(5);
  for (int i = 0; i < 20'000; ++i) {
    // Times from 1900 to 2200, with runs inside one second to exercise the cache.
    const int64_t ns = (i % 4 == 0)
                           ? rng.Between(-2'208'988'800'000'000'000LL, 7'258'118'400'000'000'000LL)
                           : kStart2024 + rng.Between(0, 3'000'000'000);
    TextBuffer out;
    times.AppendRfc3339Nano(ns, &out);
    ASSERT_EQ(out.view(), time::FormatRfc3339Nano(ns)) << ns;
  }
}

TEST(TimestampTextTest, Rfc3339NineDigitsMatchesFixedFormatter) {
  TimestampText times;
  Rng rng(6);
  for (int i = 0; i < 5'000; ++i) {
    const int64_t ns = rng.Between(-1'000'000'000'000'000'000LL, 4'000'000'000'000'000'000LL);
    ASSERT_EQ(Rfc3339(times, ns, 9), time::FormatRfc3339Fixed(ns)) << ns;
  }
}

TEST(TimestampTextTest, Rfc3339TruncatesToRequestedDigits) {
  TimestampText times;
  const int64_t ns = kStart2024 + 123'456'789;
  EXPECT_EQ(Rfc3339(times, ns, 0), "2024-01-01T00:00:00Z");
  EXPECT_EQ(Rfc3339(times, ns, 3), "2024-01-01T00:00:00.123Z");
  EXPECT_EQ(Rfc3339(times, ns, 6), "2024-01-01T00:00:00.123456Z");
}

TEST(TimestampTextTest, ClfStyle) {
  TimestampText times;
  TextBuffer out;
  times.AppendClf(kStart2024 + 13 * 3600'000'000'000LL + 999'000'000, &out);
  EXPECT_EQ(out.view(), "01/Jan/2024:13:00:00 +0000");
}

TEST(TimestampTextTest, BsdStylePadsDayWithSpace) {
  TimestampText times;
  TextBuffer out;
  times.AppendBsd(kStart2024 + 61'000'000'000, &out);
  out.Append('|');
  times.AppendBsd(kStart2024 + 14 * 86400'000'000'000LL, &out);
  EXPECT_EQ(out.view(), "Jan  1 00:01:01|Jan 15 00:00:00");
}

TEST(TimestampTextTest, JavaLocalStyleHasMilliseconds) {
  TimestampText times;
  TextBuffer out;
  times.AppendJavaLocal(kStart2024 + 45'678'000, &out);
  EXPECT_EQ(out.view(), "2024-01-01 00:00:00.045");
}

TEST(TimestampTextTest, CacheFollowsSecondChangesBackwards) {
  TimestampText times;
  EXPECT_EQ(Rfc3339(times, kStart2024 + 5'000'000'000, 0), "2024-01-01T00:00:05Z");
  EXPECT_EQ(Rfc3339(times, kStart2024 - 1, 3), "2023-12-31T23:59:59.999Z");
  EXPECT_EQ(Rfc3339(times, kStart2024, 3), "2024-01-01T00:00:00.000Z");
}

TEST(TimestampTextTest, BeforeEpochUsesFloorSecond) {
  TimestampText times;
  EXPECT_EQ(Rfc3339(times, -1, 9), "1969-12-31T23:59:59.999999999Z");
}

}  // namespace
}  // namespace silt::loggen
