#include "shared/log/logfmt.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::log {
namespace {

std::string Value(std::string_view value) {
  std::string out;
  AppendLogfmtValue(&out, value);
  return out;
}

std::string Key(std::string_view key) {
  std::string out;
  AppendLogfmtKey(&out, key);
  return out;
}

TEST(LogfmtValueTest, PlainValuesStayBare) {
  for (const char* value : {"info", "/var/lib/silt/wal/0000000000000001.wal", "67108864", "a,b;c",
                            "C:\\logs\\x", "caf\u00e9", "\u65e5\u672c", "[a]{b}", "-1.5e9",
                            "http://127.0.0.1:3100/loki/api/v1/push?x&y"}) {
    SCOPED_TRACE(value);
    EXPECT_FALSE(LogfmtNeedsQuotes(value));
    EXPECT_EQ(Value(value), value);
  }
}

TEST(LogfmtValueTest, SpacesEqualsAndQuotesForceQuoting) {
  EXPECT_EQ(Value("segment rotated"), "\"segment rotated\"");
  EXPECT_EQ(Value("a=b"), "\"a=b\"");
  EXPECT_EQ(Value("say \"hi\""), "\"say \\\"hi\\\"\"");
  EXPECT_EQ(Value("\"x"), "\"\\\"x\"");
  EXPECT_EQ(Value(" "), "\" \"");
  EXPECT_EQ(Value("x "), "\"x \"");
}

TEST(LogfmtValueTest, EmptyValueIsQuoted) {
  EXPECT_TRUE(LogfmtNeedsQuotes(""));
  EXPECT_EQ(Value(""), "\"\"");
}

TEST(LogfmtValueTest, BackslashAloneStaysBareButIsEscapedInQuotes) {
  EXPECT_EQ(Value("a\\b"), "a\\b");
  EXPECT_EQ(Value("a \\b"), "\"a \\\\b\"");
}

TEST(LogfmtValueTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(Value("line1\nline2"), "\"line1\\nline2\"");
  EXPECT_EQ(Value("a\rb"), "\"a\\rb\"");
  EXPECT_EQ(Value("a\tb"), "\"a\\tb\"");
  EXPECT_EQ(Value(std::string("a\0b", 3)), "\"a\\u0000b\"");
  EXPECT_EQ(Value("\x1b[31mred"), "\"\\u001b[31mred\"");
  EXPECT_EQ(Value("del\x7f"), "\"del\\u007f\"");
  EXPECT_EQ(Value("nel\xc2\x85"), "\"nel\\u0085\"");  // C1 control U+0085
  EXPECT_EQ(Value("\xc2\x9f"), "\"\\u009f\"");
  EXPECT_EQ(Value("\xc2\xa0"), "\xc2\xa0");  // U+00A0 is printable (no-break space)
}

TEST(LogfmtValueTest, InvalidUtf8BytesAreEscapedAsHex) {
  EXPECT_EQ(Value("\xff"), "\"\\xff\"");
  EXPECT_EQ(Value("ab\xfe"
                  "cd"),
            "\"ab\\xfecd\"");
  EXPECT_EQ(Value("\xc3"), "\"\\xc3\"");                              // truncated 2-byte sequence
  EXPECT_EQ(Value("\xc3x"), "\"\\xc3x\"");                            // bad continuation
  EXPECT_EQ(Value("\xc0\xaf"), "\"\\xc0\\xaf\"");                     // overlong '/'
  EXPECT_EQ(Value("\xe0\x80\xaf"), "\"\\xe0\\x80\\xaf\"");            // overlong 3-byte
  EXPECT_EQ(Value("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");            // UTF-16 surrogate
  EXPECT_EQ(Value("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\"");   // above U+10FFFF
  EXPECT_EQ(Value("\x80"), "\"\\x80\"");                              // lone continuation byte
  EXPECT_EQ(Value("ok\xe2\x82\xac\xff"), "\"ok\xe2\x82\xac\\xff\"");  // valid part kept
}

TEST(LogfmtValueTest, FourByteUtf8StaysBare) {
  EXPECT_EQ(Value("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");  // U+1F600
  EXPECT_EQ(Value("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");  // U+10FFFF
}

TEST(LogfmtKeyTest, PlainKeysAreCopied) {
  EXPECT_EQ(Key("path"), "path");
  EXPECT_EQ(Key("retry_after_ms"), "retry_after_ms");
  EXPECT_EQ(Key("a.b-c"), "a.b-c");
}

TEST(LogfmtKeyTest, BadCharactersBecomeUnderscores) {
  EXPECT_EQ(Key(""), "_");
  EXPECT_EQ(Key("two words"), "two_words");
  EXPECT_EQ(Key("a=b"), "a_b");
  EXPECT_EQ(Key("\"q\""), "_q_");
  EXPECT_EQ(Key("nl\n"), "nl_");
  EXPECT_EQ(Key("caf\xc3\xa9"), "caf__");
}

}  // namespace
}  // namespace silt::log
