// Metric expression parser (metric_parser.h).
#include "aggregator/logql/metric_parser.h"

#include <re2/re2.h>

#include <cmath>
#include <optional>
#include <utility>

#include "aggregator/logql/number_text.h"
#include "aggregator/logql/range_parser.h"

namespace silt::logql {
namespace {


std::optional<BinaryOp> PeekBinaryOp(const ParseContext& ctx) {
  const Token& t = ctx.Peek();
  switch (t.kind) {
    case TokenKind::kAdd: return BinaryOp::kAdd;
    case TokenKind::kSub: return BinaryOp::kSub;
    case TokenKind::kMul: return BinaryOp::kMul;
    case TokenKind::kDiv: return BinaryOp::kDiv;
    case TokenKind::kMod: return BinaryOp::kMod;
    case TokenKind::kPow: return BinaryOp::kPow;
    case TokenKind::kCmpEq: return BinaryOp::kEq;
    case TokenKind::kNotEq: return BinaryOp::kNotEq;
    case TokenKind::kGt: return BinaryOp::kGt;
    case TokenKind::kGe: return BinaryOp::kGe;
    case TokenKind::kLt: return BinaryOp::kLt;
    case TokenKind::kLe: return BinaryOp::kLe;
    case TokenKind::kIdentifier:
      if (t.text == "or") return BinaryOp::kOr;
      if (t.text == "and") return BinaryOp::kAnd;
      if (t.text == "unless") return BinaryOp::kUnless;
      return std::nullopt;
    default: return std::nullopt;
  }
}


// `(a, b)` or `()` after by / without / on / ignoring / group_left / group_right.
Result<std::vector<std::string>> ParseLabelList(ParseContext* ctx) {
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kLeftParen).status());
  std::vector<std::string> names;
  if (ctx->Accept(TokenKind::kRightParen)) return names;
  while (true) {
    SILT_ASSIGN_OR_RETURN(Token name, ctx->Expect(TokenKind::kIdentifier));
    names.push_back(name.text);
    if (ctx->Accept(TokenKind::kRightParen)) return names;
    if (!ctx->Accept(TokenKind::kComma)) return ctx->Unexpected({",", ")"});
  }
}

// `bool`, `on (...)` / `ignoring (...)`, `group_left [(...)]` / `group_right [(...)]`.
Status ParseModifiers(ParseContext* ctx, BinaryExpr* expr, const Token& op_token) {
  expr->return_bool = ctx->AcceptWord("bool");
  if (expr->return_bool && !IsComparison(expr->op)) {
    return ctx->ErrorAt(op_token, "bool modifier can only be used on comparison operators");
  }
  if (!ctx->PeekWord("on") && !ctx->PeekWord("ignoring")) return Status::Ok();
  VectorMatching matching;
  matching.on = ctx->Next().text == "on";
  SILT_ASSIGN_OR_RETURN(matching.labels, ParseLabelList(ctx));
  if (ctx->PeekWord("group_left") || ctx->PeekWord("group_right")) {
    const Token group = ctx->Next();
    if (IsSetOperation(expr->op)) {
      return ctx->ErrorAt(group, "no grouping allowed for \"" +
                                     std::string(BinaryOpText(expr->op)) + "\" operation");
    }
    matching.card = group.text == "group_left" ? VectorMatching::Card::kManyToOne
                                               : VectorMatching::Card::kOneToMany;
    if (ctx->PeekIs(TokenKind::kLeftParen)) {
      SILT_ASSIGN_OR_RETURN(matching.include, ParseLabelList(ctx));
    }
  }
  expr->matching = std::move(matching);
  return Status::Ok();
}

// `sum by (a) (expr)`, `topk(5, expr) without (b)`; grouping on either side, not both.
Result<MetricExpr> ParseVectorAggregation(ParseContext* ctx) {
  const Token name = ctx->Next();
  VectorAggregation agg{*VectorOpFromName(name.text), std::nullopt, MetricExpr{NumberLiteral{}},
                        std::nullopt};
  if (ctx->PeekWord("by") || ctx->PeekWord("without")) {
    SILT_ASSIGN_OR_RETURN(agg.grouping, ParseGrouping(ctx));
  }
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kLeftParen).status());
  bool takes_param = agg.op == VectorOp::kTopK || agg.op == VectorOp::kBottomK;
  if (ctx->PeekIs(TokenKind::kNumber) && ctx->PeekIs(TokenKind::kComma, 1)) {
    const Token param = ctx->Next();
    ctx->Next();
    if (!takes_param) {
      return ctx->ErrorAt(param, "unsupported parameter for operation " + name.text + "(" +
                                     param.text + ",");
    }
    if (param.number != std::floor(param.number) || param.number > 1e15) {
      return ctx->ErrorAt(param, "invalid parameter " + name.text + "(" + param.text +
                                     ",: k must be a whole number");
    }
    if (param.number <= 0) {
      return ctx->ErrorAt(param, "invalid parameter (must be greater than 0) " + name.text + "(" +
                                     param.text);
    }
    agg.param = static_cast<int64_t>(param.number);
  } else if (takes_param) {
    return ctx->ErrorAt(ctx->Peek(), "parameter required for operation " + name.text +
                                         ", e.g. " + name.text + "(10, ...)");
  }
  SILT_ASSIGN_OR_RETURN(MetricExpr inner, ParseMetricExpr(ctx));
  agg.inner = std::move(inner);
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  if (ctx->PeekWord("by") || ctx->PeekWord("without")) {
    if (agg.grouping.has_value()) {
      return ctx->ErrorAt(ctx->Peek(), "grouping given twice: use by/without either before or "
                                       "after the arguments");
    }
    SILT_ASSIGN_OR_RETURN(agg.grouping, ParseGrouping(ctx));
  }
  if (agg.grouping.has_value() && (agg.op == VectorOp::kSort || agg.op == VectorOp::kSortDesc)) {
    return ctx->ErrorAt(name, "grouping not allowed for sort and sort_desc aggregations");
  }
  return MetricExpr{std::move(agg)};
}

// label_replace(expr, "dst", "replacement", "src", "regex").
Result<MetricExpr> ParseLabelReplace(ParseContext* ctx) {
  ctx->Next();
  ctx->Next();  // (
  SILT_ASSIGN_OR_RETURN(MetricExpr inner, ParseMetricExpr(ctx));
  LabelReplace replace{std::move(inner), "", "", "", ""};
  Token regex;
  for (std::string* arg : {&replace.dst, &replace.replacement, &replace.src, &replace.regex}) {
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kComma).status());
    SILT_ASSIGN_OR_RETURN(regex, ctx->Expect(TokenKind::kString));
    *arg = regex.text;
  }
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  RE2 re("^(?s:" + replace.regex + ")$", RE2::Quiet);
  if (!re.ok()) {
    return ctx->ErrorAt(regex, "invalid regular expression \"" + replace.regex +
                                   "\" in label_replace()");
  }
  bool valid_dst = !replace.dst.empty();
  for (size_t i = 0; i < replace.dst.size(); ++i) {
    char c = replace.dst[i];
    valid_dst = valid_dst && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                              (i > 0 && c >= '0' && c <= '9'));
  }
  if (!valid_dst) {
    return ctx->ErrorAt(regex, "invalid destination label name in label_replace(): \"" +
                                   replace.dst + "\"");
  }
  return MetricExpr{std::move(replace)};
}

// NUMBER, or a sign directly before one.
Result<MetricExpr> ParseNumber(ParseContext* ctx) {
  double sign = 1;
  if (ctx->PeekIs(TokenKind::kSub) || ctx->PeekIs(TokenKind::kAdd)) {
    sign = ctx->Next().kind == TokenKind::kSub ? -1 : 1;
  }
  SILT_ASSIGN_OR_RETURN(Token number, ctx->Expect(TokenKind::kNumber));
  return MetricExpr{NumberLiteral{sign * number.number}};
}

Result<MetricExpr> ParsePrimaryExpr(ParseContext* ctx) {
  const Token& t = ctx->Peek();
  if (t.kind == TokenKind::kNumber || t.kind == TokenKind::kSub || t.kind == TokenKind::kAdd) {
    return ParseNumber(ctx);
  }
  if (t.kind == TokenKind::kLeftParen) {
    const Token open = ctx->Next();
    NestingScope scope(ctx, open);
    SILT_RETURN_IF_ERROR(scope.status());
    SILT_ASSIGN_OR_RETURN(MetricExpr inner, ParseMetricExpr(ctx));
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
    return inner;
  }
  if (t.kind == TokenKind::kLeftBrace) {
    return ctx->ErrorAt(t, "syntax error: unexpected {: a log query cannot be used here; "
                           "aggregate it first, e.g. count_over_time({...}[5m])");
  }
  if (t.kind != TokenKind::kIdentifier) return ctx->Unexpected();
  NestingScope scope(ctx, t);
  SILT_RETURN_IF_ERROR(scope.status());
  bool call = ctx->PeekIs(TokenKind::kLeftParen, 1);
  if (call && RangeOpFromName(t.text)) {
    SILT_ASSIGN_OR_RETURN(RangeAggregation agg, ParseRangeAggregation(ctx));
    return MetricExpr{std::move(agg)};
  }
  if (VectorOpFromName(t.text) &&
      (call || ctx->PeekWord("by", 1) || ctx->PeekWord("without", 1))) {
    return ParseVectorAggregation(ctx);
  }
  if (call && t.text == "label_replace") return ParseLabelReplace(ctx);
  if (call && t.text == "vector") {
    ctx->Next();
    ctx->Next();
    SILT_ASSIGN_OR_RETURN(MetricExpr value, ParseNumber(ctx));
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
    return MetricExpr{VectorLiteral{std::get<NumberLiteral>(value.node).value}};
  }
  return ctx->Unexpected();
}

bool IsLiteral(const MetricExpr& e) { return std::holds_alternative<NumberLiteral>(e.node); }

Status ValidateBinary(ParseContext* ctx, const Token& at, const BinaryExpr& b) {
  bool lhs_literal = IsLiteral(*b.lhs);
  bool rhs_literal = IsLiteral(*b.rhs);
  std::string op(BinaryOpText(b.op));
  if (IsSetOperation(b.op) && (lhs_literal || rhs_literal)) {
    return ctx->ErrorAt(at, "unexpected literal for " +
                                std::string(lhs_literal ? "left" : "right") +
                                " leg of logical/set binary operation (" + op +
                                "): set operations need a vector on both sides");
  }
  if (IsComparison(b.op) && lhs_literal && rhs_literal && !b.return_bool) {
    return ctx->ErrorAt(at, "comparison operations between scalars must use BOOL modifier");
  }
  if (b.matching.has_value() && (lhs_literal || rhs_literal)) {
    return ctx->ErrorAt(at, "vector matching (on/ignoring) is only allowed between two vectors");
  }
  return Status::Ok();
}

Result<MetricExpr> ParseBinary(ParseContext* ctx, int min_precedence) {
  SILT_ASSIGN_OR_RETURN(MetricExpr lhs, ParsePrimaryExpr(ctx));
  while (std::optional<BinaryOp> op = PeekBinaryOp(*ctx)) {
    int precedence = BinaryPrecedence(*op);
    if (precedence < min_precedence) break;
    const Token op_token = ctx->Next();
    SILT_RETURN_IF_ERROR(ctx->CountBinaryNode(op_token));
    BinaryExpr binary{*op, false, std::nullopt, MetricExpr{NumberLiteral{}},
                      MetricExpr{NumberLiteral{}}};
    SILT_RETURN_IF_ERROR(ParseModifiers(ctx, &binary, op_token));
    NestingScope scope(ctx, op_token);
    SILT_RETURN_IF_ERROR(scope.status());
    int next_min = *op == BinaryOp::kPow ? precedence : precedence + 1;
    SILT_ASSIGN_OR_RETURN(MetricExpr rhs, ParseBinary(ctx, next_min));
    binary.lhs = std::move(lhs);
    binary.rhs = std::move(rhs);
    SILT_RETURN_IF_ERROR(ValidateBinary(ctx, op_token, binary));
    lhs = MetricExpr{std::move(binary)};
  }
  return lhs;
}

}  // namespace

Result<Grouping> ParseGrouping(ParseContext* ctx) {
  Grouping grouping;
  grouping.without = ctx->Next().text == "without";
  SILT_ASSIGN_OR_RETURN(grouping.labels, ParseLabelList(ctx));
  return grouping;
}

Result<MetricExpr> ParseMetricExpr(ParseContext* ctx) { return ParseBinary(ctx, 1); }

}  // namespace silt::logql
