// Token names for error messages (token.h).
#include "aggregator/logql/token.h"

#include <array>

namespace silt::logql {

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEnd: return "$end";
    case TokenKind::kIdentifier: return "IDENTIFIER";
    case TokenKind::kString: return "STRING";
    case TokenKind::kNumber: return "NUMBER";
    case TokenKind::kDuration: return "DURATION";
    case TokenKind::kBytes: return "BYTES";
    case TokenKind::kRange: return "RANGE";
    case TokenKind::kParserFlag: return "PARSER_FLAG";
    case TokenKind::kLeftBrace: return "{";
    case TokenKind::kRightBrace: return "}";
    case TokenKind::kLeftParen: return "(";
    case TokenKind::kRightParen: return ")";
    case TokenKind::kComma: return ",";
    case TokenKind::kEq: return "=";
    case TokenKind::kNotEq: return "!=";
    case TokenKind::kRegex: return "=~";
    case TokenKind::kNotRegex: return "!~";
    case TokenKind::kCmpEq: return "==";
    case TokenKind::kGt: return ">";
    case TokenKind::kGe: return ">=";
    case TokenKind::kLt: return "<";
    case TokenKind::kLe: return "<=";
    case TokenKind::kPipe: return "|";
    case TokenKind::kPipeExact: return "|=";
    case TokenKind::kPipeMatch: return "|~";
    case TokenKind::kPipePattern: return "|>";
    case TokenKind::kNotPattern: return "!>";
    case TokenKind::kAdd: return "+";
    case TokenKind::kSub: return "-";
    case TokenKind::kMul: return "*";
    case TokenKind::kDiv: return "/";
    case TokenKind::kMod: return "%";
    case TokenKind::kPow: return "^";
  }
  return "?";
}

bool IsLogqlKeyword(std::string_view word) {
  static constexpr std::array<std::string_view, 33> kKeywords = {
      "by",          "without",     "bool",         "on",          "ignoring",
      "group_left",  "group_right", "offset",       "or",          "and",
      "unless",      "json",        "logfmt",       "regexp",      "pattern",
      "unpack",      "unwrap",      "line_format",  "label_format", "decolorize",
      "drop",        "keep",        "ip",           "label_replace", "vector",
      "sum",         "avg",         "min",          "max",         "count",
      "topk",        "bottomk",     "rate",
  };
  for (std::string_view keyword : kKeywords) {
    if (keyword == word) return true;
  }
  return word.ends_with("_over_time") || word == "bytes_rate" || word == "rate_counter" ||
         word == "stddev" || word == "stdvar" || word == "sort" || word == "sort_desc";
}

std::string TokenDisplayName(const Token& token) {
  if (token.kind == TokenKind::kIdentifier && IsLogqlKeyword(token.text)) return token.text;
  return std::string(TokenKindName(token.kind));
}

}  // namespace silt::logql
