// ParseContext: the token cursor shared by the LogQL parsers (log_query_parser, stage_parser,
// label_filter_parser, metric_parser): lookahead, Loki-style syntax errors
// ("parse error at line L, col C: syntax error: unexpected X, expecting Y or Z"), and the bounds
// that keep hostile input from exhausting the stack (nesting depth, number of binary nodes).
// Not thread-safe; one per parse.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/logql/token.h"
#include "shared/status/result.h"

namespace silt::logql {

// Deepest nesting of parentheses, aggregations and binary operands the parser accepts.
inline constexpr int kMaxNestingDepth = 256;
// Most binary operations (metric operators plus label filter and/or) in one query; bounds the
// depth of left-nested chains, which the printers and destructors walk recursively.
inline constexpr int kMaxBinaryNodes = 1000;

class ParseContext {
 public:
  // `tokens` must end with a kEnd token (as Tokenize returns them).
  explicit ParseContext(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  // The token `ahead` positions after the current one (the kEnd token past the end).
  const Token& Peek(size_t ahead = 0) const;
  bool PeekIs(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
  // True when the token `ahead` is the word `word`.
  bool PeekWord(std::string_view word, size_t ahead = 0) const;
  // Returns the current token and moves past it (never past kEnd).
  const Token& Next();
  // Moves past the current token when it is of `kind` / is the word `word`.
  bool Accept(TokenKind kind);
  bool AcceptWord(std::string_view word);
  // Returns the current token and moves past it if it is of `kind`; otherwise the syntax error
  // "unexpected <current>, expecting <kind>".
  Result<Token> Expect(TokenKind kind);

  // "parse error at line L, col C: syntax error: unexpected <current>[, expecting A or B]". As
  // goyacc does, the expected list is left out when it has more than four entries.
  Status Unexpected(std::initializer_list<std::string_view> expected = {}) const;
  // "parse error at line L, col C: <message>" at `at`.
  Status ErrorAt(const Token& at, std::string_view message) const;

  // Enters one nesting level; an error at `at` when kMaxNestingDepth is exceeded. Every
  // successful Enter() is paired with Leave() (NestingScope does both).
  Status Enter(const Token& at);
  void Leave() { --depth_; }
  // Counts one binary node; an error at `at` past kMaxBinaryNodes.
  Status CountBinaryNode(const Token& at);

 private:
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int binary_nodes_ = 0;
};

// Leaves the nesting level on destruction when Enter() succeeded.
class NestingScope {
 public:
  NestingScope(ParseContext* ctx, const Token& at) : ctx_(ctx), status_(ctx->Enter(at)) {}
  ~NestingScope() {
    if (status_.ok()) ctx_->Leave();
  }
  NestingScope(const NestingScope&) = delete;
  NestingScope& operator=(const NestingScope&) = delete;
  const Status& status() const { return status_; }

 private:
  ParseContext* ctx_;
  Status status_;
};

}  // namespace silt::logql
