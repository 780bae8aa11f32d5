// Token: one lexical unit of a LogQL query (a word, a literal, an operator), with the 1-based
// line and column where it starts. The lexer (lexer.h) produces them; the parsers consume them.
// Words are not split into keywords here: LogQL keywords are contextual (`json` is a stage name
// after `|` and may be a label name inside `{}`), so the parsers decide what a word means.
// Value type; thread-safe as a value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace silt::logql {

enum class TokenKind : unsigned char {
  kEnd,          // end of input
  kIdentifier,   // [a-zA-Z_][a-zA-Z0-9_]*: label names, keywords, function names
  kString,       // "..." (Go escapes) or `...` (raw); `text` holds the decoded bytes
  kNumber,       // 12, 1.5, .5, 1e3; `number` holds the value
  kDuration,     // 5m, 1h30m, 500ms; `integer` holds nanoseconds
  kBytes,        // 10KB, 1MiB, 20b; `integer` holds bytes
  kRange,        // [5m]; `integer` holds nanoseconds
  kParserFlag,   // --strict, --keep-empty; `text` holds the flag with its dashes
  kLeftBrace,    // {
  kRightBrace,   // }
  kLeftParen,    // (
  kRightParen,   // )
  kComma,        // ,
  kEq,           // =
  kNotEq,        // !=
  kRegex,        // =~
  kNotRegex,     // !~
  kCmpEq,        // ==
  kGt,           // >
  kGe,           // >=
  kLt,           // <
  kLe,           // <=
  kPipe,         // |
  kPipeExact,    // |=
  kPipeMatch,    // |~
  kPipePattern,  // |>
  kNotPattern,   // !>
  kAdd,          // +
  kSub,          // -
  kMul,          // *
  kDiv,          // /
  kMod,          // %
  kPow,          // ^
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;    // identifier/flag text, decoded string, or the source text of a literal
  double number = 0;   // kNumber
  int64_t integer = 0;  // kDuration, kBytes, kRange
  int line = 1;
  int column = 1;
};

// How a token is named in "unexpected X, expecting Y" messages, as Loki names them: operators by
// their text ("|=", "{"), literal classes by class ("STRING", "NUMBER", "DURATION", "BYTES",
// "RANGE", "IDENTIFIER"), the end of input as "$end".
std::string_view TokenKindName(TokenKind kind);

// The name of `token` in an error message: a word that is a LogQL keyword is named by its text
// (Loki's lexer makes it a keyword token: "unexpected by"); any other word is "IDENTIFIER".
std::string TokenDisplayName(const Token& token);

// True for the words Loki's lexer always treats as keywords.
bool IsLogqlKeyword(std::string_view word);

}  // namespace silt::logql
