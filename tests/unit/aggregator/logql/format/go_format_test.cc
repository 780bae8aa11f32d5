// Tests for Go's fmt forms over template values (go_format.h).
#include "aggregator/logql/format/go_format.h"

#include <gtest/gtest.h>

namespace silt::logql::format {
namespace {

std::string F(std::string_view format, std::vector<TemplateValue> args) { return GoSprintf(format, args); }

TEST(GoFormatTest, FloatsPrintAsGoDefaultFormat) {
  EXPECT_EQ(GoFloatText(1e6), "1e+06");
  EXPECT_EQ(GoFloatText(123456), "123456");
  EXPECT_EQ(GoFloatText(0.0001), "0.0001");
  EXPECT_EQ(GoFloatText(0.00001), "1e-05");
  EXPECT_EQ(GoFloatText(2.5), "2.5");
  EXPECT_EQ(GoFloatText(-0.1), "-0.1");
  EXPECT_EQ(GoFloatText(1.0 / 0.0), "+Inf");
  EXPECT_EQ(GoFloatText(0.0 / 0.0), "NaN");
}

TEST(GoFormatTest, SprintSpacesOnlyBetweenNonStrings) {
  std::vector<TemplateValue> args = {TemplateValue::Int(1), TemplateValue::Int(2),
                                     TemplateValue::String("a"), TemplateValue::Bool(true)};
  EXPECT_EQ(GoSprint(args), "1 2atrue");
  EXPECT_EQ(GoSprintln(args), "1 2 a true\n");
}

TEST(GoFormatTest, VerbsFlagsWidthsAndPrecisions) {
  EXPECT_EQ(F("%08.3f", {TemplateValue::Float(-3.14159)}), "-003.142");
  EXPECT_EQ(F("% d|%+.1e", {TemplateValue::Int(5), TemplateValue::Float(12345)}), " 5|+1.2e+04");
  EXPECT_EQ(F("%.3d|%O", {TemplateValue::Int(7), TemplateValue::Int(8)}), "007|0o10");
  EXPECT_EQ(F("%G|%E", {TemplateValue::Float(1e-7), TemplateValue::Float(1)}), "1E-07|1.000000E+00");
  EXPECT_EQ(F("%q|%c", {TemplateValue::Int('x'), TemplateValue::Int(0x65E5)}), "'x'|日");
  EXPECT_EQ(F("%5.1s|", {TemplateValue::String("日本")}), "    日|");
  EXPECT_EQ(F("%X", {TemplateValue::String("\xff")}), "FF");
  EXPECT_EQ(F("%f", {TemplateValue::Float(-1.0 / 0.0)}), "-Inf");
}

TEST(GoFormatTest, BadVerbsMissingAndExtraArgumentsAreMarked) {
  EXPECT_EQ(F("%z", {TemplateValue::Int(1)}), "%!z(int=1)");
  EXPECT_EQ(F("%d", {TemplateValue()}), "%!d(<nil>)");
  EXPECT_EQ(F("%s %s", {TemplateValue::String("a")}), "a %!s(MISSING)");
  EXPECT_EQ(F("x", {TemplateValue::Int(1), TemplateValue()}), "x%!(EXTRA int=1, <nil>)");
  EXPECT_EQ(F("100%", {}), "100%!(NOVERB)");
  EXPECT_EQ(F("%t", {TemplateValue::String("s")}), "%!t(string=s)");
}

TEST(GoFormatTest, QuoteEscapesAsStrconv) {
  EXPECT_EQ(GoQuote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
  EXPECT_EQ(GoQuote("\x01\x7f"), "\"\\x01\\x7f\"");
  EXPECT_EQ(GoQuote("é\xff"), "\"é\\xff\"");
  EXPECT_EQ(GoQuote("\u200b"), "\"\\u200b\"");
}

TEST(GoFormatTest, DecodesUtf8AsGo) {
  std::string s = "a\xe6\x97\xa5\xff\xc3";
  size_t i = 0;
  EXPECT_EQ(DecodeRune(s, &i), U'a');
  EXPECT_EQ(DecodeRune(s, &i), U'日');
  EXPECT_EQ(DecodeRune(s, &i), 0xFFFDu);
  EXPECT_EQ(i, 5u);
  EXPECT_EQ(DecodeRune(s, &i), 0xFFFDu);
  EXPECT_EQ(i, 6u);
  EXPECT_EQ(RuneCount("日本語"), 3u);
  EXPECT_EQ(RuneCount("\xed\xa0\x80"), 3u);  // an encoded surrogate is three bad bytes
}

}  // namespace
}  // namespace silt::logql::format
