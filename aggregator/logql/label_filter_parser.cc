// Label filter parser (label_filter_parser.h).
#include "aggregator/logql/label_filter_parser.h"

#include <optional>
#include <utility>
#include <vector>

#include "aggregator/logql/ip_pattern.h"

namespace silt::logql {
namespace {

bool IsComparisonToken(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq: case TokenKind::kNotEq: case TokenKind::kRegex:
    case TokenKind::kNotRegex: case TokenKind::kCmpEq: case TokenKind::kGt:
    case TokenKind::kGe: case TokenKind::kLt: case TokenKind::kLe:
      return true;
    default:
      return false;
  }
}

CompareOp ToCompareOp(TokenKind kind) {
  switch (kind) {
    case TokenKind::kNotEq: return CompareOp::kNotEq;
    case TokenKind::kGt: return CompareOp::kGt;
    case TokenKind::kGe: return CompareOp::kGe;
    case TokenKind::kLt: return CompareOp::kLt;
    case TokenKind::kLe: return CompareOp::kLe;
    default: return CompareOp::kEq;
  }
}

// Appends the operands of `expr` seen as a chain of `is_and` operations, left to right.
void CollectOperands(bool is_and, LabelFilterExpr expr, std::vector<LabelFilterExpr>* out) {
  std::vector<LabelFilterExpr> stack;
  stack.push_back(std::move(expr));
  while (!stack.empty()) {
    LabelFilterExpr e = std::move(stack.back());
    stack.pop_back();
    auto* binary = std::get_if<BinaryLabelFilter>(&e.node);
    if (binary != nullptr && binary->is_and == is_and) {
      stack.push_back(std::move(*binary->right));
      stack.push_back(std::move(*binary->left));
    } else {
      out->push_back(std::move(e));
    }
  }
}

// `left op right`. `and` and `or` are associative, so a chain of one operator is kept
// left-nested whatever the grouping written (`a, (b, c)` is `(a and b) and c`): the canonical
// text then needs no parentheses, and a long `a, b, c, ...` list does not nest when printed.
LabelFilterExpr Combine(bool is_and, LabelFilterExpr left, LabelFilterExpr right) {
  std::vector<LabelFilterExpr> operands;
  CollectOperands(is_and, std::move(left), &operands);
  CollectOperands(is_and, std::move(right), &operands);
  LabelFilterExpr acc = std::move(operands.front());
  for (size_t i = 1; i < operands.size(); ++i) {
    acc = LabelFilterExpr{BinaryLabelFilter{is_and, std::move(acc), std::move(operands[i])}};
  }
  return acc;
}

Result<LabelFilterExpr> ParseStringFilter(ParseContext* ctx, const Token& name, TokenKind op) {
  const Token value = ctx->Next();
  labels::MatchType type = op == TokenKind::kEq      ? labels::MatchType::kEqual
                           : op == TokenKind::kNotEq ? labels::MatchType::kNotEqual
                           : op == TokenKind::kRegex ? labels::MatchType::kRegexMatch
                                                     : labels::MatchType::kRegexNoMatch;
  Result<labels::Matcher> matcher = labels::Matcher::Create(type, name.text, value.text);
  if (!matcher.ok()) return ctx->ErrorAt(value, matcher.status().message());
  return LabelFilterExpr{StringLabelFilter{std::move(matcher).value()}};
}

Result<LabelFilterExpr> ParseIpFilter(ParseContext* ctx, const Token& name, TokenKind op) {
  ctx->Next();  // ip
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kLeftParen).status());
  SILT_ASSIGN_OR_RETURN(Token pattern, ctx->Expect(TokenKind::kString));
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  if (Status valid = ValidateIpPattern(pattern.text); !valid.ok()) {
    return ctx->ErrorAt(pattern, valid.message());
  }
  return LabelFilterExpr{IpLabelFilter{name.text, op == TokenKind::kNotEq, pattern.text}};
}

// A comparison against a number (optionally signed), a duration or a byte size.
Result<LabelFilterExpr> ParseValueFilter(ParseContext* ctx, const Token& name, TokenKind op) {
  CompareOp compare = ToCompareOp(op);
  if (ctx->PeekIs(TokenKind::kDuration)) {
    return LabelFilterExpr{DurationLabelFilter{name.text, compare, ctx->Next().integer}};
  }
  if (ctx->PeekIs(TokenKind::kBytes)) {
    return LabelFilterExpr{BytesLabelFilter{name.text, compare, ctx->Next().integer}};
  }
  double sign = 1;
  if (ctx->PeekIs(TokenKind::kSub) || ctx->PeekIs(TokenKind::kAdd)) {
    if (ctx->PeekIs(TokenKind::kSub)) sign = -1;
    ctx->Next();
    if (!ctx->PeekIs(TokenKind::kNumber)) return ctx->Unexpected({"NUMBER"});
  }
  if (!ctx->PeekIs(TokenKind::kNumber)) {
    bool equality = op == TokenKind::kEq || op == TokenKind::kNotEq;
    if (equality) return ctx->Unexpected({"STRING", "NUMBER", "DURATION", "BYTES"});
    return ctx->Unexpected({"NUMBER", "DURATION", "BYTES"});
  }
  return LabelFilterExpr{NumericLabelFilter{name.text, compare, sign * ctx->Next().number}};
}

Result<LabelFilterExpr> ParseComparison(ParseContext* ctx) {
  if (!ctx->PeekIs(TokenKind::kIdentifier)) return ctx->Unexpected({"IDENTIFIER", "("});
  const Token name = ctx->Next();
  TokenKind op = ctx->Peek().kind;
  if (!IsComparisonToken(op)) {
    return ctx->Unexpected({"=", "!=", "=~", "!~"});  // and == > >= < <= (goyacc lists four)
  }
  ctx->Next();
  bool regex = op == TokenKind::kRegex || op == TokenKind::kNotRegex;
  bool equality = op == TokenKind::kEq || op == TokenKind::kNotEq;
  if (regex) {
    if (!ctx->PeekIs(TokenKind::kString)) return ctx->Unexpected({"STRING"});
    return ParseStringFilter(ctx, name, op);
  }
  if (equality && ctx->PeekIs(TokenKind::kString)) return ParseStringFilter(ctx, name, op);
  if (equality && ctx->PeekWord("ip") && ctx->PeekIs(TokenKind::kLeftParen, 1)) {
    return ParseIpFilter(ctx, name, op);
  }
  return ParseValueFilter(ctx, name, op);
}

Result<LabelFilterExpr> ParsePrimary(ParseContext* ctx) {
  if (!ctx->PeekIs(TokenKind::kLeftParen)) return ParseComparison(ctx);
  const Token open = ctx->Next();
  NestingScope scope(ctx, open);
  SILT_RETURN_IF_ERROR(scope.status());
  SILT_ASSIGN_OR_RETURN(LabelFilterExpr inner, ParseLabelFilter(ctx));
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  return inner;
}

}  // namespace

bool StartsLabelFilter(const ParseContext& ctx) {
  if (ctx.PeekIs(TokenKind::kLeftParen)) return true;
  return ctx.PeekIs(TokenKind::kIdentifier) && IsComparisonToken(ctx.Peek(1).kind);
}

// or_chain := and_chain ('or' and_chain)*
// and_chain := primary ('and' primary)* [(',' | juxtaposition) or_chain]
// The trailing or_chain of an and_chain is handled with an explicit stack of pending left
// operands, so a long `a, b, c, ...` list does not recurse.
Result<LabelFilterExpr> ParseLabelFilter(ParseContext* ctx) {
  struct Pending {
    std::optional<LabelFilterExpr> or_left;
    LabelFilterExpr and_left;
  };
  std::vector<Pending> pending;
  std::optional<LabelFilterExpr> or_acc;
  while (true) {
    SILT_ASSIGN_OR_RETURN(LabelFilterExpr and_acc, ParsePrimary(ctx));
    while (ctx->PeekWord("and")) {
      SILT_RETURN_IF_ERROR(ctx->CountBinaryNode(ctx->Next()));
      SILT_ASSIGN_OR_RETURN(LabelFilterExpr right, ParsePrimary(ctx));
      and_acc = Combine(true, std::move(and_acc), std::move(right));
    }
    bool comma = ctx->PeekIs(TokenKind::kComma);
    if (comma || StartsLabelFilter(*ctx)) {
      SILT_RETURN_IF_ERROR(ctx->CountBinaryNode(ctx->Peek()));
      if (comma) ctx->Next();
      pending.push_back(Pending{std::move(or_acc), std::move(and_acc)});
      or_acc.reset();
      continue;
    }
    or_acc = or_acc ? Combine(false, std::move(*or_acc), std::move(and_acc)) : std::move(and_acc);
    if (!ctx->PeekWord("or")) break;
    SILT_RETURN_IF_ERROR(ctx->CountBinaryNode(ctx->Next()));
  }
  LabelFilterExpr result = std::move(*or_acc);
  while (!pending.empty()) {
    Pending top = std::move(pending.back());
    pending.pop_back();
    result = Combine(true, std::move(top.and_left), std::move(result));
    if (top.or_left) result = Combine(false, std::move(*top.or_left), std::move(result));
  }
  return result;
}

}  // namespace silt::logql

