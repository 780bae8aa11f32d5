#include "tests/bench/loggen/text_buffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace silt::loggen {
namespace {

TEST(TextBufferTest, AppendsTextAndChars) {
  TextBuffer buffer(1);
  buffer.Append("abc");
  buffer.Append('d');
  EXPECT_EQ(buffer.view(), "abcd");
  EXPECT_EQ(buffer.back(), 'd');
}

TEST(TextBufferTest, GrowsPastInitialCapacity) {
  TextBuffer buffer(64);
  std::string expected;
  for (int i = 0; i < 1000; ++i) {
    buffer.Append("0123456789");
    expected += "0123456789";
  }
  EXPECT_EQ(buffer.view(), expected);
  EXPECT_GE(buffer.capacity(), expected.size());
}

TEST(TextBufferTest, AppendUintWritesDecimal) {
  TextBuffer buffer;
  for (uint64_t value : {uint64_t{0}, uint64_t{7}, uint64_t{10}, uint64_t{99}, uint64_t{100},
                         uint64_t{12345}, uint64_t{1'000'000}, UINT64_MAX}) {
    buffer.Clear();
    buffer.AppendUint(value);
    EXPECT_EQ(buffer.view(), std::to_string(value));
  }
}

TEST(TextBufferTest, AppendIntWritesSign) {
  TextBuffer buffer;
  buffer.AppendInt(INT64_MIN);
  EXPECT_EQ(buffer.view(), "-9223372036854775808");
  buffer.Clear();
  buffer.AppendInt(-5);
  EXPECT_EQ(buffer.view(), "-5");
}

TEST(TextBufferTest, AppendPaddedPadsOnlyWhenShort) {
  TextBuffer buffer;
  buffer.AppendPadded(7, 2);
  buffer.Append(' ');
  buffer.AppendPadded(5, 4);
  buffer.Append(' ');
  buffer.AppendPadded(12345, 3);
  buffer.Append(' ');
  buffer.AppendPadded(0, 9);
  EXPECT_EQ(buffer.view(), "07 0005 12345 000000000");
}

TEST(TextBufferTest, AppendFixedPointKeepsAllDecimals) {
  TextBuffer buffer;
  buffer.AppendFixedPoint(12345, 3);
  buffer.Append(' ');
  buffer.AppendFixedPoint(5, 3);
  buffer.Append(' ');
  buffer.AppendFixedPoint(42, 0);
  EXPECT_EQ(buffer.view(), "12.345 0.005 42");
}

TEST(TextBufferTest, AppendHexIsLowercaseAndPadded) {
  TextBuffer buffer;
  buffer.AppendHex(0xABC, 6);
  buffer.Append(' ');
  buffer.AppendHex(0x123456789abcdef0ULL, 16);
  buffer.Append(' ');
  buffer.AppendHex(0xfff, 2);
  EXPECT_EQ(buffer.view(), "000abc 123456789abcdef0 ff");
}

TEST(TextBufferTest, AppendJsonEscapedEscapesQuotesBackslashesAndControls) {
  TextBuffer buffer;
  // 14 bytes: the literal and its terminating NUL.
  buffer.AppendJsonEscaped(std::string_view("a\"b\\c\nd\te\x01 f\r", 14));
  EXPECT_EQ(buffer.view(), "a\\\"b\\\\c\\nd\\te\\u0001 f\\r\\u0000");
}

TEST(TextBufferTest, AppendJsonEscapedKeepsUtf8Bytes) {
  TextBuffer buffer;
  buffer.AppendJsonEscaped("caf\xc3\xa9");
  EXPECT_EQ(buffer.view(), "caf\xc3\xa9");
}

TEST(TextBufferTest, InsertGapMovesTheTail) {
  TextBuffer buffer;
  buffer.Append("headtail");
  char* gap = buffer.InsertGap(4, 3);
  gap[0] = '-';
  gap[1] = '-';
  gap[2] = '-';
  EXPECT_EQ(buffer.view(), "head---tail");
  buffer.InsertGap(buffer.size(), 1)[0] = '!';
  EXPECT_EQ(buffer.view(), "head---tail!");
}

TEST(TextBufferTest, TruncateAndClear) {
  TextBuffer buffer;
  buffer.Append("abcdef");
  buffer.Truncate(2);
  EXPECT_EQ(buffer.view(), "ab");
  buffer.Clear();
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace silt::loggen
