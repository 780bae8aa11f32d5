#include "shared/labels/string_literal.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::labels {
namespace {

TEST(StringLiteralTest, QuoteEscapesOnlyBackslashQuoteAndNewline) {
  struct Case {
    std::string bytes;
    std::string quoted;
  };
  const Case cases[] = {
      {"", R"("")"},
      {"plain", R"("plain")"},
      {R"(a\b)", R"("a\\b")"},
      {R"(say "hi")", R"("say \"hi\"")"},
      {"two\nlines", R"("two\nlines")"},
      {"tab\there", "\"tab\there\""},      // raw tab
      {"cr\rhere", "\"cr\rhere\""},        // raw carriage return
      {std::string("nul\0x", 5), std::string("\"nul\0x\"", 7)},
      {"\x1B[31m", "\"\x1B[31m\""},        // raw escape character
      {"日本 é", "\"日本 é\""},
      {"bad\xFF", "\"bad\xFF\""},          // invalid UTF-8 kept as is
      {R"(\")", R"("\\\"")"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Quote(c.bytes), c.quoted) << testing::PrintToString(c.bytes);
  }
}

TEST(StringLiteralTest, AppendQuotedAppends) {
  std::string out = "x=";
  AppendQuoted("v", &out);
  EXPECT_EQ(out, R"(x="v")");
}

TEST(StringLiteralTest, AppendLabelNameQuotesOnlyNamesOutsideTheSyntax) {
  struct Case {
    std::string name;
    std::string written;
  };
  const Case cases[] = {
      {"job", "job"},
      {"_x9", "_x9"},
      {"__name__", "__name__"},
      {"A_b", "A_b"},
      {"a.b", R"("a.b")"},
      {"1st", R"("1st")"},
      {"", R"("")"},
      {"with space", R"("with space")"},
      {"é", R"("é")"},
      {"q\"", R"("q\"")"},
  };
  for (const Case& c : cases) {
    std::string out;
    AppendLabelName(c.name, &out);
    EXPECT_EQ(out, c.written);
  }
}

TEST(StringLiteralTest, UnquoteDecodesGoEscapes) {
  struct Case {
    std::string literal;
    std::string value;
  };
  const Case cases[] = {
      {R"("")", ""},
      {R"("abc")", "abc"},
      {R"("\a\b\f\n\r\t\v")", "\a\b\f\n\r\t\v"},
      {R"("\\\"")", "\\\""},
      {R"("\x41\x7a\xFF")", "Az\xFF"},
      {R"("\101\000\377")", std::string("A\0\xFF", 3)},
      {R"("\u00e9\u65E5")", "é日"},
      {R"("\U0001F642")", "🙂"},
      {"\"raw\ttab\"", "raw\ttab"},
      {"\"bytes \xFF\xFE\"", "bytes \xFF\xFE"},
      {"`raw \\n \"q\"`", "raw \\n \"q\""},
      {"`multi\nline`", "multi\nline"},
      {"`cr\r\ndropped`", "cr\ndropped"},
      {"``", ""},
  };
  for (const Case& c : cases) {
    Result<std::string> value = Unquote(c.literal);
    ASSERT_TRUE(value.ok()) << c.literal << ": " << value.status();
    EXPECT_EQ(*value, c.value) << c.literal;
  }
}

TEST(StringLiteralTest, UnquoteRejectsMalformedLiteralsWithTheColumn) {
  struct Case {
    std::string literal;
    std::string message;
  };
  const Case cases[] = {
      {"", "column 1: expected a string literal (\"...\" or `...`) but the text ends"},
      {"abc", "column 1: expected a string literal (\"...\" or `...`)"},
      {"'abc'", "column 1: expected a string literal (\"...\" or `...`)"},
      {R"("abc)", "column 1: string literal is not terminated; add the closing \""},
      {"`abc", "column 1: raw string literal is not terminated; add the closing `"},
      {"\"a\nb\"", "column 3: newline in string literal; write it as \\n"},
      {R"("a\qb")", "column 3: unknown escape sequence \\q in string literal; write a backslash "
                    "as \\\\"},
      {R"("\'")", "column 2: unknown escape sequence \\' in string literal; write a backslash "
                  "as \\\\"},
      {R"("ab\)", "column 4: string literal ends inside an escape"},
      {R"("\x4")", "column 2: escape \\x needs exactly 2 hex digits, as in \\x41"},
      {R"("\xZZ")", "column 2: escape \\x needs exactly 2 hex digits, as in \\x41"},
      {R"("\u12")", "column 2: escape \\u needs exactly 4 hex digits"},
      {R"("\U0001F64")", "column 2: escape \\U needs exactly 8 hex digits"},
      {R"("\uD800")", "column 2: escape \\uD800 is not a valid Unicode code point"},
      {R"("\U00110000")", "column 2: escape \\U00110000 is not a valid Unicode code point"},
      {R"("\400")", "column 2: octal escape \\400 is above \\377"},
      {R"("\12")", "column 2: octal escape needs exactly 3 digits, as in \\101"},
      {R"("\8")", "column 2: unknown escape sequence \\8 in string literal; write a backslash "
                  "as \\\\"},
      {R"("a"b)", "column 4: unexpected text after the string literal"},
  };
  for (const Case& c : cases) {
    Result<std::string> value = Unquote(c.literal);
    ASSERT_FALSE(value.ok()) << c.literal;
    EXPECT_EQ(value.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(value.status().message(), c.message) << c.literal;
  }
}

TEST(StringLiteralTest, ReadStringLiteralStopsAfterTheClosingQuote) {
  const std::string text = R"(x="a\"b", y=`c`)";
  size_t pos = 2;
  Result<std::string> first = ReadStringLiteral(text, &pos);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, "a\"b");
  EXPECT_EQ(pos, 8u);
  pos = 12;
  Result<std::string> second = ReadStringLiteral(text, &pos);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(*second, "c");
  EXPECT_EQ(pos, text.size());
}

TEST(StringLiteralTest, ErrorColumnsCountFromTheStartOfTheText) {
  size_t pos = 4;
  Result<std::string> value = ReadStringLiteral(R"(abc "\q")", &pos);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.status().message().substr(0, 10), "column 6: ");
}

TEST(StringLiteralTest, EveryByteSurvivesQuoteThenUnquote) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  Result<std::string> back = Unquote(Quote(all));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, all);
}

}  // namespace
}  // namespace silt::labels
