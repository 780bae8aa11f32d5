#include "shared/labels/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace silt::labels {
namespace {

TEST(Utf8Test, ValidSequencesHaveTheirLength) {
  struct Case {
    std::string bytes;
    size_t length;
  };
  const Case cases[] = {
      {"a", 1},
      {std::string(1, '\0'), 1},
      {"\xC2\x80", 2},              // U+0080, smallest 2-byte
      {"\xDF\xBF", 2},              // U+07FF
      {"\xE0\xA0\x80", 3},          // U+0800, smallest 3-byte
      {"\xED\x9F\xBF", 3},          // U+D7FF, just below the surrogates
      {"\xEE\x80\x80", 3},          // U+E000, just above them
      {"\xEF\xBF\xBD", 3},          // U+FFFD
      {"\xF0\x90\x80\x80", 4},      // U+10000
      {"\xF4\x8F\xBF\xBF", 4},      // U+10FFFF, the largest
      {"\xC3\xA9xyz", 2},           // only the first sequence counts
  };
  for (const Case& c : cases) {
    EXPECT_EQ(ValidUtf8SequenceLength(c.bytes), c.length) << testing::PrintToString(c.bytes);
  }
}

TEST(Utf8Test, InvalidSequencesHaveLengthZero) {
  const std::string cases[] = {
      "",
      "\x80",              // lone continuation byte
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong
      "\xE0\x9F\xBF",      // overlong 3-byte
      "\xED\xA0\x80",      // surrogate U+D800
      "\xF0\x8F\xBF\xBF",  // overlong 4-byte
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // lead byte never valid
      "\xFF",
      "\xE2\x82",          // truncated
      "\xE2\x82x",         // continuation missing
  };
  for (const std::string& bytes : cases) {
    EXPECT_EQ(ValidUtf8SequenceLength(bytes), 0u) << testing::PrintToString(bytes);
  }
}

TEST(Utf8Test, IsValidUtf8ChecksEveryByte) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("日本語 🙂 é"));
  EXPECT_FALSE(IsValidUtf8("ok until \xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE6\x97"));  // first two bytes of 日
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
}

TEST(Utf8Test, ReplaceInvalidUtf8ReplacesEachBadByteLikeGo) {
  EXPECT_EQ(ReplaceInvalidUtf8("valid é"), "valid é");
  EXPECT_EQ(ReplaceInvalidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  // A truncated 3-byte sequence is two bad bytes, as Go's decoder reports it.
  EXPECT_EQ(ReplaceInvalidUtf8("a\xE2\x82" "b"), "a\xEF\xBF\xBD\xEF\xBF\xBD" "b");
  EXPECT_EQ(ReplaceInvalidUtf8("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ReplaceInvalidUtf8(""), "");
}

TEST(Utf8Test, AppendUtf8EncodesAtEveryLengthBoundary) {
  struct Case {
    char32_t code_point;
    std::string bytes;
  };
  const Case cases[] = {
      {0x41, "A"},
      {0x7F, "\x7F"},
      {0x80, "\xC2\x80"},
      {0x7FF, "\xDF\xBF"},
      {0x800, "\xE0\xA0\x80"},
      {0xFFFD, "\xEF\xBF\xBD"},
      {0xFFFF, "\xEF\xBF\xBF"},
      {0x10000, "\xF0\x90\x80\x80"},
      {0x1F642, "🙂"},
      {0x10FFFF, "\xF4\x8F\xBF\xBF"},
  };
  for (const Case& c : cases) {
    std::string out = "x";
    AppendUtf8(c.code_point, &out);
    EXPECT_EQ(out, "x" + c.bytes) << static_cast<uint32_t>(c.code_point);
    EXPECT_EQ(ValidUtf8SequenceLength(c.bytes), c.bytes.size());
  }
}

}  // namespace
}  // namespace silt::labels
