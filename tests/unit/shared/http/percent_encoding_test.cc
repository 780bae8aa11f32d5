#include "shared/http/percent_encoding.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace silt::http {
namespace {

using ::testing::HasSubstr;

TEST(PercentDecodeTest, DecodesEscapesInEitherCase) {
  auto decoded = PercentDecode("%7Bjob%3d%22x%22%7d", PlusMeans::kPlus);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, "{job=\"x\"}");
}

TEST(PercentDecodeTest, PlusIsSpaceOnlyWhenAsked) {
  EXPECT_EQ(PercentDecode("a+b%2Bc", PlusMeans::kSpace).value(), "a b+c");
  EXPECT_EQ(PercentDecode("a+b%2Bc", PlusMeans::kPlus).value(), "a+b+c");
}

TEST(PercentDecodeTest, TruncatedEscapeIsRejectedWithOffset) {
  auto decoded = PercentDecode("abc%4", PlusMeans::kPlus);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(decoded.status().message(), HasSubstr("offset 3"));
  EXPECT_THAT(decoded.status().message(), HasSubstr("\"abc%4\""));
}

TEST(PercentDecodeTest, NonHexEscapeIsRejected) {
  EXPECT_FALSE(PercentDecode("%zz", PlusMeans::kPlus).ok());
  EXPECT_FALSE(PercentDecode("%", PlusMeans::kPlus).ok());
  EXPECT_FALSE(PercentDecode("100%", PlusMeans::kSpace).ok());
}

TEST(PercentDecodeTest, EscapedNulIsRejected) {
  auto decoded = PercentDecode("a%00b", PlusMeans::kPlus);
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), HasSubstr("NUL"));
}

TEST(PercentDecodeTest, RawNulIsRejected) {
  auto decoded = PercentDecode(std::string_view("a\0b", 3), PlusMeans::kSpace);
  ASSERT_FALSE(decoded.ok());
  EXPECT_THAT(decoded.status().message(), HasSubstr("NUL byte at offset 1"));
}

TEST(PercentDecodeTest, HighBytesPassThrough) {
  EXPECT_EQ(PercentDecode("%C3%A9t%C3%A9", PlusMeans::kPlus).value(), "\xC3\xA9t\xC3\xA9");
}

TEST(PercentEncodeTest, KeepsOnlyUnreservedBytes) {
  EXPECT_EQ(PercentEncode("a-z_0.9~"), "a-z_0.9~");
  EXPECT_EQ(PercentEncode("{job=\"x\"} |= \"a b\""), "%7Bjob%3D%22x%22%7D%20%7C%3D%20%22a%20b%22");
  EXPECT_EQ(PercentEncode("\xff/"), "%FF%2F");
}

TEST(PercentEncodeTest, RoundTripsThroughDecode) {
  std::string all;
  for (int c = 1; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(PercentDecode(PercentEncode(all), PlusMeans::kSpace).value(), all);
}

}  // namespace
}  // namespace silt::http
