// LogQL lexer (lexer.h).
#include "aggregator/logql/lexer.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "shared/labels/string_literal.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"
#include "shared/units/decimal.h"

namespace silt::logql {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c); }
bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
// µ (U+00B5, C2 B5) and μ (U+03BC, CE BC) start the "µs" duration unit.
bool StartsMicro(std::string_view s, size_t i) {
  return i + 1 < s.size() && ((s[i] == '\xC2' && s[i + 1] == '\xB5') ||
                              (s[i] == '\xCE' && s[i + 1] == '\xBC'));
}

class Lexer {
 public:
  explicit Lexer(std::string_view query) : query_(query) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      SkipSpaceAndComments();
      Token token;
      token.line = line_;
      token.column = column_;
      if (pos_ >= query_.size()) {
        tokens.push_back(std::move(token));
        return tokens;
      }
      SILT_RETURN_IF_ERROR(Scan(&token));
      tokens.push_back(std::move(token));
    }
  }

 private:
  // Moves past `n` bytes, keeping line and column current.
  void Advance(size_t n) {
    for (size_t end = pos_ + n; pos_ < end && pos_ < query_.size(); ++pos_) {
      if (query_[pos_] == '\n') {
        ++line_;
        column_ = 1;
      } else if (!IsContinuationByte(query_[pos_])) {
        ++column_;
      }
    }
  }

  char At(size_t i) const { return i < query_.size() ? query_[i] : '\0'; }

  void SkipSpaceAndComments() {
    while (pos_ < query_.size()) {
      char c = query_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        Advance(1);
      } else if (c == '#') {
        while (pos_ < query_.size() && query_[pos_] != '\n') Advance(1);
      } else {
        return;
      }
    }
  }

  Status ErrorHere(const Token& at, std::string message) const {
    return Status::InvalidArgument(ParseErrorPrefix(at.line, at.column) + message);
  }

  Status Scan(Token* token) {
    char c = query_[pos_];
    if (c == '"' || c == '`') return ScanString(token);
    if (IsDigit(c) || (c == '.' && IsDigit(At(pos_ + 1)))) return ScanNumber(token);
    if (IsLetter(c)) {
      size_t end = pos_;
      while (end < query_.size() && IsWordChar(query_[end])) ++end;
      token->kind = TokenKind::kIdentifier;
      token->text = std::string(query_.substr(pos_, end - pos_));
      Advance(end - pos_);
      return Status::Ok();
    }
    if (c == '[') return ScanRange(token);
    if (c == '-' && At(pos_ + 1) == '-' && IsLetter(At(pos_ + 2))) {
      size_t end = pos_ + 2;
      while (end < query_.size() && (IsWordChar(query_[end]) || query_[end] == '-')) ++end;
      token->kind = TokenKind::kParserFlag;
      token->text = std::string(query_.substr(pos_, end - pos_));
      Advance(end - pos_);
      return Status::Ok();
    }
    return ScanOperator(token);
  }

  Status ScanOperator(Token* token) {
    struct Op {
      std::string_view text;
      TokenKind kind;
    };
    static constexpr Op kOps[] = {
        {"|=", TokenKind::kPipeExact}, {"|~", TokenKind::kPipeMatch},
        {"|>", TokenKind::kPipePattern}, {"!=", TokenKind::kNotEq},
        {"!~", TokenKind::kNotRegex},   {"!>", TokenKind::kNotPattern},
        {"=~", TokenKind::kRegex},      {"==", TokenKind::kCmpEq},
        {">=", TokenKind::kGe},         {"<=", TokenKind::kLe},
        {"{", TokenKind::kLeftBrace},   {"}", TokenKind::kRightBrace},
        {"(", TokenKind::kLeftParen},   {")", TokenKind::kRightParen},
        {",", TokenKind::kComma},       {"=", TokenKind::kEq},
        {">", TokenKind::kGt},          {"<", TokenKind::kLt},
        {"|", TokenKind::kPipe},        {"+", TokenKind::kAdd},
        {"-", TokenKind::kSub},         {"*", TokenKind::kMul},
        {"/", TokenKind::kDiv},         {"%", TokenKind::kMod},
        {"^", TokenKind::kPow},
    };
    for (const Op& op : kOps) {
      if (query_.substr(pos_).starts_with(op.text)) {
        token->kind = op.kind;
        token->text = std::string(op.text);
        Advance(op.text.size());
        return Status::Ok();
      }
    }
    size_t len = 1;
    while (pos_ + len < query_.size() && IsContinuationByte(query_[pos_ + len])) ++len;
    return ErrorHere(*token, "unexpected character " +
                                 units::QuoteForError(query_.substr(pos_, len)) +
                                 "; LogQL has no such operator (check the quoting around it)");
  }

  Status ScanString(Token* token) {
    size_t pos = pos_;
    Result<std::string> value = labels::ReadStringLiteral(query_, &pos);
    if (!value.ok()) return StringError(*token, value.status());
    token->kind = TokenKind::kString;
    token->text = std::move(value).value();
    Advance(pos - pos_);
    return Status::Ok();
  }

  // ReadStringLiteral reports "column <N>: <what>" with N a byte offset into the whole query;
  // turn it into a line:column position.
  Status StringError(const Token& start, const Status& status) const {
    std::string_view message = status.message();
    size_t offset = 0;
    if (message.starts_with("column ")) {
      size_t colon = message.find(": ");
      std::string_view digits = message.substr(7, colon == std::string_view::npos ? 0 : colon - 7);
      std::from_chars(digits.data(), digits.data() + digits.size(), offset);
      if (colon != std::string_view::npos) message.remove_prefix(colon + 2);
    }
    Lexer at(query_);
    if (offset > 0) at.Advance(offset - 1);
    if (offset == 0) return ErrorHere(start, "invalid string literal: " + std::string(message));
    Token where;
    where.line = at.line_;
    where.column = at.column_;
    return ErrorHere(where, "invalid string literal: " + std::string(message));
  }

  // Digits with an optional fraction and exponent; then, if a letter follows, a unit run that
  // makes the token a duration or a byte size.
  Status ScanNumber(Token* token) {
    size_t end = pos_;
    while (IsDigit(At(end))) ++end;
    if (At(end) == '.') {
      ++end;
      while (IsDigit(At(end))) ++end;
    }
    if ((At(end) == 'e' || At(end) == 'E') &&
        (IsDigit(At(end + 1)) ||
         ((At(end + 1) == '+' || At(end + 1) == '-') && IsDigit(At(end + 2))))) {
      end += 2;
      while (IsDigit(At(end))) ++end;
    }
    if (IsLetter(At(end)) || StartsMicro(query_, end)) return ScanUnitValue(token);
    token->kind = TokenKind::kNumber;
    token->text = std::string(query_.substr(pos_, end - pos_));
    token->number = std::strtod(token->text.c_str(), nullptr);
    if (!std::isfinite(token->number)) {
      return ErrorHere(*token, "number " + units::QuoteForError(token->text) +
                                   " is out of range (larger than about 1.8e308)");
    }
    Advance(end - pos_);
    return Status::Ok();
  }

  Status ScanUnitValue(Token* token) {
    size_t end = pos_;
    while (end < query_.size()) {
      if (IsWordChar(query_[end]) || query_[end] == '.') {
        ++end;
      } else if (StartsMicro(query_, end)) {
        end += 2;
      } else {
        break;
      }
    }
    std::string_view text = query_.substr(pos_, end - pos_);
    token->text = std::string(text);
    if (Result<int64_t> nanos = time::ParseDuration(text); nanos.ok()) {
      token->kind = TokenKind::kDuration;
      token->integer = *nanos;
    } else if (Result<int64_t> bytes = units::ParseByteSize(text); bytes.ok()) {
      token->kind = TokenKind::kBytes;
      token->integer = *bytes;
    } else {
      return ErrorHere(*token, "invalid duration or byte size " + units::QuoteForError(text) +
                                   ": write a duration such as 5m, 1h30m or 250ms, or a size "
                                   "such as 10KB or 1.5MiB");
    }
    Advance(end - pos_);
    return Status::Ok();
  }

  Status ScanRange(Token* token) {
    size_t close = query_.find(']', pos_);
    if (close == std::string_view::npos) {
      return ErrorHere(*token, "unterminated range: '[' without a closing ']'");
    }
    std::string_view inner = query_.substr(pos_ + 1, close - pos_ - 1);
    while (!inner.empty() && inner.front() == ' ') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == ' ') inner.remove_suffix(1);
    Result<int64_t> nanos = time::ParseDuration(inner);
    if (!nanos.ok() || *nanos <= 0) {
      return ErrorHere(*token, "invalid range " + units::QuoteForError(inner) +
                                   ": write a positive duration such as [5m] or [1h30m]");
    }
    token->kind = TokenKind::kRange;
    token->text = std::string(query_.substr(pos_, close + 1 - pos_));
    token->integer = *nanos;
    Advance(close + 1 - pos_);
    return Status::Ok();
  }

  std::string_view query_;
  size_t pos_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

std::string ParseErrorPrefix(int line, int column) {
  return "parse error at line " + std::to_string(line) + ", col " + std::to_string(column) + ": ";
}

Result<std::vector<Token>> Tokenize(std::string_view query) { return Lexer(query).Run(); }

}  // namespace silt::logql
