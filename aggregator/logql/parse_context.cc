// Token cursor and error reporting for the LogQL parsers (parse_context.h).
#include "aggregator/logql/parse_context.h"

#include "aggregator/logql/lexer.h"

namespace silt::logql {

const Token& ParseContext::Peek(size_t ahead) const {
  size_t index = pos_ + ahead;
  return index < tokens_.size() ? tokens_[index] : tokens_.back();
}

bool ParseContext::PeekWord(std::string_view word, size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kIdentifier && token.text == word;
}

const Token& ParseContext::Next() {
  const Token& token = Peek();
  if (pos_ + 1 < tokens_.size()) ++pos_;
  return token;
}

bool ParseContext::Accept(TokenKind kind) {
  if (!PeekIs(kind)) return false;
  Next();
  return true;
}

bool ParseContext::AcceptWord(std::string_view word) {
  if (!PeekWord(word)) return false;
  Next();
  return true;
}

Result<Token> ParseContext::Expect(TokenKind kind) {
  if (!PeekIs(kind)) return Unexpected({TokenKindName(kind)});
  return Next();
}

Status ParseContext::Unexpected(std::initializer_list<std::string_view> expected) const {
  std::string message = "syntax error: unexpected " + TokenDisplayName(Peek());
  if (expected.size() > 0 && expected.size() <= 4) {
    bool first = true;
    for (std::string_view name : expected) {
      message.append(first ? ", expecting " : " or ");
      message.append(name);
      first = false;
    }
  }
  return ErrorAt(Peek(), message);
}

Status ParseContext::ErrorAt(const Token& at, std::string_view message) const {
  return Status::InvalidArgument(ParseErrorPrefix(at.line, at.column) + std::string(message));
}

Status ParseContext::Enter(const Token& at) {
  if (depth_ >= kMaxNestingDepth) {
    return ErrorAt(at, "query nested too deeply (more than " + std::to_string(kMaxNestingDepth) +
                           " levels of parentheses, aggregations or operators); simplify it");
  }
  ++depth_;
  return Status::Ok();
}

Status ParseContext::CountBinaryNode(const Token& at) {
  if (++binary_nodes_ > kMaxBinaryNodes) {
    return ErrorAt(at, "query has too many binary operations (more than " +
                           std::to_string(kMaxBinaryNodes) + "); split it into several queries");
  }
  return Status::Ok();
}

}  // namespace silt::logql
