#include "aggregator/bloom/tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace silt::bloom {
namespace {

std::vector<std::string> Tokens(std::string_view text) {
  std::vector<std::string> out;
  ForEachToken(text, [&](std::string_view token) { out.emplace_back(token); });
  return out;
}

using Strings = std::vector<std::string>;

TEST(TokenizerTest, SplitsOnEveryNonTokenByte) {
  EXPECT_EQ(Tokens("GET /api/v1/users?id=42 HTTP/1.1"),
            (Strings{"GET", "api", "v1", "users", "id", "42", "HTTP", "1", "1"}));
}

TEST(TokenizerTest, UnderscoreAndDigitsArePartOfTokens) {
  EXPECT_EQ(Tokens("trace_id=ab12_CD status:500"),
            (Strings{"trace_id", "ab12_CD", "status", "500"}));
}

TEST(TokenizerTest, KeepsCaseAndAddsNoLowercaseCopies) {
  EXPECT_EQ(Tokens("Error ERROR error"), (Strings{"Error", "ERROR", "error"}));
}

TEST(TokenizerTest, EmptyAndSeparatorOnlyTextHaveNoTokens) {
  EXPECT_TRUE(Tokens("").empty());
  EXPECT_TRUE(Tokens(" -- ./: \t").empty());
}

TEST(TokenizerTest, TokensAtBothEndsAreReported) {
  EXPECT_EQ(Tokens("a"), (Strings{"a"}));
  EXPECT_EQ(Tokens("start mid end"), (Strings{"start", "mid", "end"}));
}

TEST(TokenizerTest, NonAsciiBytesSeparateTokens) {
  EXPECT_EQ(Tokens("caf\xC3\xA9 na\xC3\xAFve"), (Strings{"caf", "na", "ve"}));
}

TEST(TokenizerTest, NulBytesSeparateTokens) {
  EXPECT_EQ(Tokens(std::string_view("ab\0cd", 5)), (Strings{"ab", "cd"}));
}

TEST(TokenizerTest, IsTokenByteMatchesTheDocumentedClass) {
  for (int c = 0; c < 256; ++c) {
    bool expected =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    EXPECT_EQ(IsTokenByte(static_cast<char>(c)), expected) << c;
  }
}

}  // namespace
}  // namespace silt::bloom
