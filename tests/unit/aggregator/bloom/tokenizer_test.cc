#include "aggregator/bloom/tokenizer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
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

// The token rule written the obvious way, one byte at a time.
std::vector<std::string> ReferenceTokens(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    bool token_byte =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (token_byte) {
      current.push_back(c);
    } else if (!current.empty()) {
      out.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

// Text from a small alphabet of token and separator bytes (NUL and bytes >= 0x80 included), with
// long runs of either kind now and then so tokens cross the 16- and 64-byte steps.
std::string RandomText(std::mt19937_64& rng, size_t size) {
  static constexpr char kBytes[] = {'a',  'Z',    '0',    '9', '_', ' ', '=', '"', '/',
                                    '\0', '\x80', '\xff', '`', '@', '[', '{', ':', '/'};
  std::string text;
  while (text.size() < size) {
    char c = kBytes[rng() % sizeof(kBytes)];
    size_t run = rng() % 8 == 0 ? rng() % 100 : 1;
    text.append(std::min(run, size - text.size()), c);
  }
  return text;
}

TEST(TokenizerTest, MatchesTheByteAtATimeRuleOnRandomText) {
  std::mt19937_64 rng(11);
  for (size_t size = 0; size < 300; ++size) {
    for (int round = 0; round < 20; ++round) {
      std::string text = RandomText(rng, size);
      ASSERT_EQ(Tokens(text), ReferenceTokens(text)) << "size " << size << " round " << round;
    }
  }
}

TEST(TokenizerTest, TokensEndingAtEvery64ByteBoundaryAreComplete) {
  for (size_t size : {63, 64, 65, 127, 128, 129, 192}) {
    EXPECT_EQ(Tokens(std::string(size, 'x')), (Strings{std::string(size, 'x')})) << size;
    std::string text = std::string(size - 1, '-') + "y";
    EXPECT_EQ(Tokens(text), (Strings{"y"})) << size;
    EXPECT_EQ(Tokens("a" + std::string(size, ' ') + "b"), (Strings{"a", "b"})) << size;
  }
}

TEST(TokenizerTest, TokenMaskEqualsTheScalarMaskForEveryLength) {
  std::mt19937_64 rng(12);
  for (size_t n = 0; n <= 64; ++n) {
    for (int round = 0; round < 50; ++round) {
      std::string bytes(n, '\0');
      for (char& c : bytes) c = static_cast<char>(rng());
      ASSERT_EQ(internal::TokenMask(bytes.data(), n), internal::TokenMaskScalar(bytes.data(), n))
          << n;
    }
  }
}

TEST(TokenizerTest, EveryByteValueIsClassifiedAsTheTableSays) {
  std::string all(256, '\0');
  for (int c = 0; c < 256; ++c) all[c] = static_cast<char>(c);
  for (size_t offset = 0; offset < 256; offset += 64) {
    uint64_t mask = internal::TokenMask(all.data() + offset, 64);
    for (size_t i = 0; i < 64; ++i) {
      EXPECT_EQ((mask >> i) & 1, IsTokenByte(all[offset + i]) ? 1u : 0u) << offset + i;
    }
  }
}

}  // namespace
}  // namespace silt::bloom
