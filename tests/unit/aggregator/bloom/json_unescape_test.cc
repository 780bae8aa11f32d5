#include "aggregator/bloom/json_unescape.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::bloom {
namespace {

std::string Unescaped(std::string_view body, bool* ok) {
  std::string out;
  *ok = AppendUnescaped(body, &out);
  return out;
}

TEST(JsonUnescapeTest, PlainBytesAreCopied) {
  bool ok;
  EXPECT_EQ(Unescaped("hello world", &ok), "hello world");
  EXPECT_TRUE(ok);
}

TEST(JsonUnescapeTest, SimpleEscapesAreDecoded) {
  bool ok;
  EXPECT_EQ(Unescaped(R"(a\"b\\c\/d\'e\bf\fg\nh\ri\tj)", &ok), "a\"b\\c/d'e\bf\fg\nh\ri\tj");
  EXPECT_TRUE(ok);
}

TEST(JsonUnescapeTest, UnicodeEscapesBecomeUtf8) {
  bool ok;
  EXPECT_EQ(Unescaped(R"(\u0041\u00e9\u20AC)", &ok), "A\xC3\xA9\xE2\x82\xAC");
  EXPECT_TRUE(ok);
}

TEST(JsonUnescapeTest, SurrogatePairBecomesOneCodePoint) {
  bool ok;
  EXPECT_EQ(Unescaped(R"(\ud83d\ude00)", &ok), "\xF0\x9F\x98\x80");
  EXPECT_TRUE(ok);
}

TEST(JsonUnescapeTest, LoneSurrogateBecomesReplacementCharacter) {
  bool ok;
  EXPECT_EQ(Unescaped(R"(\ud83dx)", &ok), "\xEF\xBF\xBDx");
  EXPECT_TRUE(ok);
  EXPECT_EQ(Unescaped(R"(\ude00)", &ok), "\xEF\xBF\xBD");
  EXPECT_TRUE(ok);
}

TEST(JsonUnescapeTest, MalformedEscapesFail) {
  bool ok;
  Unescaped(R"(bad \x escape)", &ok);
  EXPECT_FALSE(ok);
  Unescaped(R"(\u12)", &ok);
  EXPECT_FALSE(ok);
  Unescaped(R"(\u12G4)", &ok);
  EXPECT_FALSE(ok);
  Unescaped("trailing\\", &ok);
  EXPECT_FALSE(ok);
}

TEST(JsonUnescapeTest, InvalidUtf8AndReplacementCharactersAreDropped) {
  std::string out;
  EXPECT_TRUE(
      AppendWithoutInvalidUtf8("a\xFF"
                               "b\xEF\xBF\xBD"
                               "c\xC3",
                               &out));
  EXPECT_EQ(out, "abc");
}

TEST(JsonUnescapeTest, ValidUtf8IsKeptAndReportedUnchanged) {
  std::string out;
  EXPECT_FALSE(AppendWithoutInvalidUtf8("caf\xC3\xA9 \xF0\x9F\x98\x80", &out));
  EXPECT_EQ(out, "caf\xC3\xA9 \xF0\x9F\x98\x80");
}

TEST(JsonUnescapeTest, FindQuoteOrBackslashFindsTheFirstOneAtEveryOffset) {
  for (size_t size = 0; size < 70; ++size) {
    for (size_t at = 0; at <= size; ++at) {
      for (char c : {'"', '\\'}) {
        std::string text(size, 'a');
        if (at < size) text[at] = c;
        if (at + 3 < size) text[at + 3] = '"';  // a later hit must not win
        const char* found = FindQuoteOrBackslash(text.data(), text.data() + text.size());
        ASSERT_EQ(static_cast<size_t>(found - text.data()), at) << size << " " << at;
      }
    }
  }
}

}  // namespace
}  // namespace silt::bloom
