// Tests for the LogQL lexer (lexer.h): token kinds, values and line:column positions.
#include "aggregator/logql/lexer.h"

#include <gtest/gtest.h>

namespace silt::logql {
namespace {

std::vector<Token> Lex(std::string_view text) {
  Result<std::vector<Token>> tokens = Tokenize(text);
  EXPECT_TRUE(tokens.ok()) << tokens.status();
  return tokens.ok() ? *tokens : std::vector<Token>{};
}

TEST(LexerTest, PositionsCountLinesAndCodePoints) {
  std::vector<Token> t = Lex("{a=\"é\"}\n  |= \"y\"");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t[4].kind, TokenKind::kRightBrace);
  EXPECT_EQ(t[4].column, 7);  // é is one column
  EXPECT_EQ(t[5].kind, TokenKind::kPipeExact);
  EXPECT_EQ(t[5].line, 2);
  EXPECT_EQ(t[5].column, 3);
  EXPECT_EQ(t.back().kind, TokenKind::kEnd);
}

TEST(LexerTest, StringsDecodeGoEscapesAndRawStrings) {
  std::vector<Token> t = Lex("\"a\\tb\\u00e9\\x41\" `c\\d`");
  EXPECT_EQ(t[0].text, "a\tbéA");
  EXPECT_EQ(t[1].text, "c\\d");
}

TEST(LexerTest, NumbersDurationsAndBytes) {
  std::vector<Token> t = Lex("1.5 .5 1e3 5m 1h30m 500ms 10KB 1MiB 20b");
  EXPECT_EQ(t[0].number, 1.5);
  EXPECT_EQ(t[1].number, 0.5);
  EXPECT_EQ(t[2].number, 1000);
  EXPECT_EQ(t[3].kind, TokenKind::kDuration);
  EXPECT_EQ(t[3].integer, int64_t{300'000'000'000});
  EXPECT_EQ(t[4].integer, int64_t{5'400'000'000'000});
  EXPECT_EQ(t[5].integer, 500'000'000);
  EXPECT_EQ(t[6].kind, TokenKind::kBytes);
  EXPECT_EQ(t[6].integer, 10'000);
  EXPECT_EQ(t[7].integer, 1 << 20);
  EXPECT_EQ(t[8].integer, 20);
}

TEST(LexerTest, RangeIsOneToken) {
  std::vector<Token> t = Lex("[ 5m ]");
  EXPECT_EQ(t[0].kind, TokenKind::kRange);
  EXPECT_EQ(t[0].integer, int64_t{300'000'000'000});
}

TEST(LexerTest, OperatorsTakeTheLongestMatch) {
  std::vector<Token> t = Lex("|= |~ |> != !~ !> =~ == >= <= | = > <");
  std::vector<TokenKind> kinds = {
      TokenKind::kPipeExact, TokenKind::kPipeMatch, TokenKind::kPipePattern, TokenKind::kNotEq,
      TokenKind::kNotRegex,  TokenKind::kNotPattern, TokenKind::kRegex,      TokenKind::kCmpEq,
      TokenKind::kGe,        TokenKind::kLe,         TokenKind::kPipe,       TokenKind::kEq,
      TokenKind::kGt,        TokenKind::kLt};
  for (size_t i = 0; i < kinds.size(); ++i) EXPECT_EQ(t[i].kind, kinds[i]) << i;
}

TEST(LexerTest, CommentsRunToTheEndOfTheLine) {
  std::vector<Token> t = Lex("a # b c\nd");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1].text, "d");
}

TEST(LexerTest, ParserFlagsKeepTheirDashes) {
  std::vector<Token> t = Lex("--keep-empty - -1");
  EXPECT_EQ(t[0].kind, TokenKind::kParserFlag);
  EXPECT_EQ(t[0].text, "--keep-empty");
  EXPECT_EQ(t[1].kind, TokenKind::kSub);
}

TEST(LexerTest, UnterminatedStringReportsItsPosition) {
  Result<std::vector<Token>> t = Tokenize("{a=\n \"x}");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().message().starts_with("parse error at line 2, col ")) << t.status();
}

TEST(LexerTest, UnknownCharacterIsAnError) {
  Result<std::vector<Token>> t = Tokenize("a ; b");
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().message().starts_with("parse error at line 1, col 3: unexpected "
                                               "character \";\""))
      << t.status();
}

}  // namespace
}  // namespace silt::logql
