#include "shared/config/scalar.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace silt::config {
namespace {

TEST(ScalarTest, BoolAcceptsOnlyCoreSchemaForms) {
  for (const char* t : {"true", "True", "TRUE"}) EXPECT_EQ(ParseBool(t), true) << t;
  for (const char* f : {"false", "False", "FALSE"}) EXPECT_EQ(ParseBool(f), false) << f;
  for (const char* bad : {"yes", "no", "on", "off", "y", "1", "0", "tRUE", "", " true"}) {
    EXPECT_EQ(ParseBool(bad), std::nullopt) << bad;
  }
}

TEST(ScalarTest, IntegerDecimalHexOctal) {
  int64_t v = 0;
  EXPECT_EQ(ParseInteger("42", &v), IntegerParse::kOk);
  EXPECT_EQ(v, 42);
  EXPECT_EQ(ParseInteger("+7", &v), IntegerParse::kOk);
  EXPECT_EQ(v, 7);
  EXPECT_EQ(ParseInteger("-15", &v), IntegerParse::kOk);
  EXPECT_EQ(v, -15);
  EXPECT_EQ(ParseInteger("0x1F", &v), IntegerParse::kOk);
  EXPECT_EQ(v, 31);
  EXPECT_EQ(ParseInteger("0o755", &v), IntegerParse::kOk);
  EXPECT_EQ(v, 493);
}

TEST(ScalarTest, IntegerRejectsNonIntegers) {
  int v = 0;
  for (const char* bad : {"", "-", "+", "1.5", "1e3", "12abc", " 1", "0x", "0o8", "--1", "+-1",
                          "-0x10", "1_000", "99999999999999999999x"}) {
    EXPECT_EQ(ParseInteger(bad, &v), IntegerParse::kNotAnInteger) << bad;
  }
}

TEST(ScalarTest, IntegerRangeIsCheckedAgainstTheTargetType) {
  uint16_t u16 = 0;
  EXPECT_EQ(ParseInteger("65535", &u16), IntegerParse::kOk);
  EXPECT_EQ(ParseInteger("65536", &u16), IntegerParse::kOutOfRange);
  EXPECT_EQ(ParseInteger("-1", &u16), IntegerParse::kOutOfRange);
  EXPECT_EQ(ParseInteger("-0", &u16), IntegerParse::kOk);
  EXPECT_EQ(u16, 0);

  int8_t i8 = 0;
  EXPECT_EQ(ParseInteger("-128", &i8), IntegerParse::kOk);
  EXPECT_EQ(i8, -128);
  EXPECT_EQ(ParseInteger("-129", &i8), IntegerParse::kOutOfRange);
  EXPECT_EQ(ParseInteger("128", &i8), IntegerParse::kOutOfRange);

  int64_t i64 = 0;
  EXPECT_EQ(ParseInteger("-9223372036854775808", &i64), IntegerParse::kOk);
  EXPECT_EQ(i64, INT64_MIN);
  EXPECT_EQ(ParseInteger("9223372036854775808", &i64), IntegerParse::kOutOfRange);

  uint64_t u64 = 0;
  EXPECT_EQ(ParseInteger("18446744073709551615", &u64), IntegerParse::kOk);
  EXPECT_EQ(u64, UINT64_MAX);
  EXPECT_EQ(ParseInteger("18446744073709551616", &u64), IntegerParse::kOutOfRange);
}

TEST(ScalarTest, DoubleCoreSchemaForms) {
  EXPECT_EQ(ParseDouble("1.5"), 1.5);
  EXPECT_EQ(ParseDouble("-2"), -2);
  EXPECT_EQ(ParseDouble("+.5"), 0.5);
  EXPECT_EQ(ParseDouble("1."), 1);
  EXPECT_EQ(ParseDouble("1e3"), 1000);
  EXPECT_EQ(ParseDouble("2.5E-1"), 0.25);
  EXPECT_EQ(ParseDouble(".inf"), INFINITY);
  EXPECT_EQ(ParseDouble("-.Inf"), -INFINITY);
  ASSERT_TRUE(ParseDouble(".NaN").has_value());
  EXPECT_TRUE(std::isnan(*ParseDouble(".nan")));
}

TEST(ScalarTest, DoubleRejectsOtherText) {
  for (const char* bad :
       {"", ".", "e3", "1e", "1e+", "abc", "inf", "nan", "0x10", "1.5s", "1,5", "- 1", "1e999"}) {
    EXPECT_EQ(ParseDouble(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace silt::config
