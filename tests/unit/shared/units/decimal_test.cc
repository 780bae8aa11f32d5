#include "shared/units/decimal.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

namespace silt::units {
namespace {

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

TEST(ScanDecimalTest, SplitsIntegerAndFraction) {
  struct Case {
    const char* text;
    const char* integer;
    const char* fraction;
    bool has_point;
    size_t length;
  };
  const Case cases[] = {
      {"123", "123", "", false, 3}, {"1.5h", "1", "5", true, 3},
      {".5", "", "5", true, 2},     {"5.", "5", "", true, 2},
      {"5.x", "5", "", true, 2},    {"007.250MiB", "007", "250", true, 7},
      {"1.2.3", "1", "2", true, 3}, {"12ms", "12", "", false, 2},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    DecimalToken token = ScanDecimal(c.text);
    EXPECT_EQ(token.integer, c.integer);
    EXPECT_EQ(token.fraction, c.fraction);
    EXPECT_EQ(token.has_point, c.has_point);
    EXPECT_EQ(token.length, c.length);
    EXPECT_TRUE(token.has_digits());
  }
}

TEST(ScanDecimalTest, NoDigitsGivesAnEmptyToken) {
  for (const char* text : {"", ".", ".x", "x1", "-1", " 1"}) {
    SCOPED_TRACE(text);
    DecimalToken token = ScanDecimal(text);
    EXPECT_FALSE(token.has_digits());
    EXPECT_EQ(token.length, 0u);
    EXPECT_FALSE(token.has_point);
  }
}

TEST(ScaleDecimalTest, MultipliesExactly) {
  EXPECT_EQ(ScaleDecimal("1", "5", 1000, Rounding::kTruncate, kU64Max), 1500u);
  EXPECT_EQ(ScaleDecimal("", "5", 3, Rounding::kTruncate, kU64Max), 1u);
  EXPECT_EQ(ScaleDecimal("", "5", 3, Rounding::kHalfUp, kU64Max), 2u);
  EXPECT_EQ(ScaleDecimal("2", "", 7, Rounding::kHalfUp, kU64Max), 14u);
  EXPECT_EQ(ScaleDecimal("", "", 7, Rounding::kHalfUp, kU64Max), 0u);
  EXPECT_EQ(ScaleDecimal("0", "000000001", 1'000'000'000, Rounding::kTruncate, kU64Max), 1u);
  // 0.1 is exact here (it is not in binary floating point).
  EXPECT_EQ(ScaleDecimal("0", "1", 10, Rounding::kTruncate, kU64Max), 1u);
  EXPECT_EQ(ScaleDecimal("0", "3", 10, Rounding::kTruncate, kU64Max), 3u);
}

TEST(ScaleDecimalTest, TruncateDropsDigitsBelowOneUnit) {
  EXPECT_EQ(ScaleDecimal("0", "1234567899", 1'000'000'000, Rounding::kTruncate, kU64Max),
            123456789u);
  EXPECT_EQ(ScaleDecimal("0", "9999999999999999999999999", 1000, Rounding::kTruncate, kU64Max),
            999u);
}

TEST(ScaleDecimalTest, HalfUpRoundsOnTheFirstDroppedDigit) {
  EXPECT_EQ(ScaleDecimal("0", "1234", 1000, Rounding::kHalfUp, kU64Max), 123u);
  EXPECT_EQ(ScaleDecimal("0", "1235", 1000, Rounding::kHalfUp, kU64Max), 124u);
  EXPECT_EQ(ScaleDecimal("0", "12349999", 1000, Rounding::kHalfUp, kU64Max), 123u);
  EXPECT_EQ(ScaleDecimal("0", "9999999999999999999999999", 1000, Rounding::kHalfUp, kU64Max),
            1000u);
  // 1.5 * 1024 = 1536 exactly; 0.0001 * 1000 = 0.1 rounds to 0.
  EXPECT_EQ(ScaleDecimal("1", "5", 1024, Rounding::kHalfUp, kU64Max), 1536u);
  EXPECT_EQ(ScaleDecimal("0", "0001", 1000, Rounding::kHalfUp, kU64Max), 0u);
}

TEST(ScaleDecimalTest, ManyFractionDigitsStayExact) {
  // 1/3 of a year, with 60 digits: exact floor of 0.333...*31536000e9 = 10512000e9 - 1.
  const std::string thirds(60, '3');
  EXPECT_EQ(ScaleDecimal("", thirds, 31'536'000'000'000'000, Rounding::kTruncate, kU64Max),
            10'511'999'999'999'999u);
  EXPECT_EQ(ScaleDecimal("", thirds, 31'536'000'000'000'000, Rounding::kHalfUp, kU64Max),
            10'512'000'000'000'000u);
}

TEST(ScaleDecimalTest, OverflowPastMaxIsNullopt) {
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(ScaleDecimal("9223372036854775807", "", 1, Rounding::kTruncate, kMax), kMax);
  EXPECT_EQ(ScaleDecimal("9223372036854775808", "", 1, Rounding::kTruncate, kMax), std::nullopt);
  EXPECT_EQ(ScaleDecimal("9223372036854775807", "5", 1, Rounding::kTruncate, kMax), kMax);
  EXPECT_EQ(ScaleDecimal("9223372036854775807", "5", 1, Rounding::kHalfUp, kMax), std::nullopt);
  EXPECT_EQ(ScaleDecimal("8", "", uint64_t{1} << 60, Rounding::kTruncate, kMax), std::nullopt);
  EXPECT_EQ(ScaleDecimal("7", "99", uint64_t{1} << 60, Rounding::kTruncate, kMax),
            9'211'842'821'808'707'338u);
  EXPECT_EQ(ScaleDecimal(std::string(400, '9'), "", 1, Rounding::kTruncate, kU64Max), std::nullopt);
  EXPECT_EQ(ScaleDecimal("18446744073709551615", "", 1, Rounding::kTruncate, kU64Max), kU64Max);
  EXPECT_EQ(ScaleDecimal("18446744073709551615", "", kU64Max, Rounding::kTruncate, kU64Max),
            std::nullopt);
}

TEST(QuoteForErrorTest, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(QuoteForError("1h"), "\"1h\"");
  EXPECT_EQ(QuoteForError(""), "\"\"");
  EXPECT_EQ(QuoteForError("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(QuoteForError(std::string("a\nb\x01\x7f", 5)), "\"a\\x0ab\\x01\\x7f\"");
}

TEST(QuoteForErrorTest, KeepsValidUtf8AndEscapesInvalidBytes) {
  EXPECT_EQ(QuoteForError("5\u00b5s"), "\"5\u00b5s\"");
  EXPECT_EQ(QuoteForError("\xe2\x82\xac"), "\"\xe2\x82\xac\"");  // euro sign
  EXPECT_EQ(QuoteForError("\xff"), "\"\\xff\"");
  EXPECT_EQ(QuoteForError("\xc3"), "\"\\xc3\"");                    // truncated sequence
  EXPECT_EQ(QuoteForError("\xc0\xaf"), "\"\\xc0\\xaf\"");           // overlong '/'
  EXPECT_EQ(QuoteForError("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // surrogate
  EXPECT_EQ(QuoteForError("\xc2\x85"), "\"\\xc2\\x85\"");           // C1 control NEL
}

TEST(QuoteForErrorTest, CutsLongInput) {
  const std::string quoted = QuoteForError(std::string(1000, 'a'));
  EXPECT_EQ(quoted, "\"" + std::string(120, 'a') + "...\"");
}

}  // namespace
}  // namespace silt::units
