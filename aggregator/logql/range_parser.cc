// Range aggregations and log ranges (range_parser.h).
#include "aggregator/logql/range_parser.h"

#include <utility>

#include "aggregator/logql/label_filter_parser.h"
#include "aggregator/logql/log_query_parser.h"
#include "aggregator/logql/metric_parser.h"

namespace silt::logql {
namespace {

// `| unwrap name` or `| unwrap conv(name)`, then `| label filter`s. At the `|`.
Result<Unwrap> ParseUnwrap(ParseContext* ctx) {
  ctx->Next();  // |
  ctx->Next();  // unwrap
  Unwrap unwrap;
  SILT_ASSIGN_OR_RETURN(Token name, ctx->Expect(TokenKind::kIdentifier));
  if (ctx->PeekIs(TokenKind::kLeftParen)) {
    if (name.text == "duration") {
      unwrap.conversion = Unwrap::Conversion::kDuration;
    } else if (name.text == "duration_seconds") {
      unwrap.conversion = Unwrap::Conversion::kDurationSeconds;
    } else if (name.text == "bytes") {
      unwrap.conversion = Unwrap::Conversion::kBytes;
    } else {
      return ctx->ErrorAt(name, "unknown unwrap conversion " + name.text +
                                    "(): use duration(), duration_seconds() or bytes()");
    }
    ctx->Next();
    SILT_ASSIGN_OR_RETURN(name, ctx->Expect(TokenKind::kIdentifier));
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  }
  unwrap.label = name.text;
  while (ctx->PeekIs(TokenKind::kPipe)) {
    ctx->Next();
    SILT_ASSIGN_OR_RETURN(LabelFilterExpr filter, ParseLabelFilter(ctx));
    unwrap.post_filters.push_back(std::move(filter));
  }
  return unwrap;
}

bool AtUnwrap(const ParseContext& ctx) {
  return ctx.PeekIs(TokenKind::kPipe) && ctx.PeekWord("unwrap", 1);
}

// The part before the range: a log query and optional unwrap, possibly in parentheses.
Status ParseRangeSubject(ParseContext* ctx, LogRange* range) {
  if (ctx->PeekIs(TokenKind::kLeftParen)) {
    const Token open = ctx->Next();
    NestingScope scope(ctx, open);
    SILT_RETURN_IF_ERROR(scope.status());
    SILT_RETURN_IF_ERROR(ParseRangeSubject(ctx, range));
    return ctx->Expect(TokenKind::kRightParen).status();
  }
  if (!ctx->PeekIs(TokenKind::kLeftBrace)) return ctx->Unexpected({"{", "("});
  SILT_ASSIGN_OR_RETURN(range->query, ParseLogQuery(ctx));
  if (AtUnwrap(*ctx)) {
    SILT_ASSIGN_OR_RETURN(range->unwrap, ParseUnwrap(ctx));
  }
  return Status::Ok();
}

Result<LogRange> ParseLogRange(ParseContext* ctx) {
  LogRange range;
  SILT_RETURN_IF_ERROR(ParseRangeSubject(ctx, &range));
  if (!ctx->PeekIs(TokenKind::kRange)) {
    if (range.unwrap.has_value()) return ctx->Unexpected({"|", "RANGE"});
    return ctx->Unexpected({"RANGE"});
  }
  range.range_nanos = ctx->Next().integer;
  if (ctx->AcceptWord("offset")) {
    SILT_ASSIGN_OR_RETURN(Token offset, ctx->Expect(TokenKind::kDuration));
    range.offset_nanos = offset.integer;
  }
  // Loki also accepts the pipeline and unwrap after the range.
  if (ctx->PeekIs(TokenKind::kPipe) || ctx->PeekIs(TokenKind::kPipeExact) ||
      ctx->PeekIs(TokenKind::kPipeMatch) || ctx->PeekIs(TokenKind::kPipePattern) ||
      ctx->PeekIs(TokenKind::kNotEq) || ctx->PeekIs(TokenKind::kNotRegex) ||
      ctx->PeekIs(TokenKind::kNotPattern)) {
    if (range.unwrap.has_value()) return ctx->Unexpected({")"});
    SILT_RETURN_IF_ERROR(ParsePipeline(ctx, &range.query.pipeline));
    if (AtUnwrap(*ctx)) {
      SILT_ASSIGN_OR_RETURN(range.unwrap, ParseUnwrap(ctx));
    }
  }
  return range;
}

bool NeedsUnwrap(RangeOp op) {
  switch (op) {
    case RangeOp::kAvgOverTime: case RangeOp::kSumOverTime: case RangeOp::kMinOverTime:
    case RangeOp::kMaxOverTime: case RangeOp::kStddevOverTime: case RangeOp::kStdvarOverTime:
    case RangeOp::kQuantileOverTime: case RangeOp::kRateCounter: case RangeOp::kFirstOverTime:
    case RangeOp::kLastOverTime:
      return true;
    default:
      return false;
  }
}

bool AllowsUnwrap(RangeOp op) {
  return NeedsUnwrap(op) || op == RangeOp::kRate || op == RangeOp::kAbsentOverTime;
}

bool AllowsGrouping(RangeOp op) {
  switch (op) {
    case RangeOp::kAvgOverTime: case RangeOp::kStddevOverTime: case RangeOp::kStdvarOverTime:
    case RangeOp::kQuantileOverTime: case RangeOp::kRate: case RangeOp::kRateCounter:
    case RangeOp::kMaxOverTime: case RangeOp::kMinOverTime: case RangeOp::kFirstOverTime:
    case RangeOp::kLastOverTime:
      return true;
    default:
      return false;
  }
}

// Loki's RangeAggregationExpr validation, reported at the operation name.
Status Validate(ParseContext* ctx, const Token& at, const RangeAggregation& agg) {
  std::string name(RangeOpName(agg.op));
  if (agg.grouping.has_value() && !AllowsGrouping(agg.op)) {
    return ctx->ErrorAt(at, "grouping not allowed for " + name + " aggregation");
  }
  if (agg.range.unwrap.has_value() && !AllowsUnwrap(agg.op)) {
    return ctx->ErrorAt(at, "invalid aggregation " + name + " with unwrap");
  }
  if (!agg.range.unwrap.has_value() && NeedsUnwrap(agg.op)) {
    return ctx->ErrorAt(at, "invalid aggregation " + name +
                                " without unwrap: add `| unwrap <label>` before the range");
  }
  return Status::Ok();
}

}  // namespace

Result<RangeAggregation> ParseRangeAggregation(ParseContext* ctx) {
  const Token name = ctx->Next();
  RangeAggregation agg;
  agg.op = *RangeOpFromName(name.text);
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kLeftParen).status());
  if (ctx->PeekIs(TokenKind::kNumber)) {
    const Token param = ctx->Next();
    if (agg.op != RangeOp::kQuantileOverTime) {
      return ctx->ErrorAt(param, "parameter " + param.text + " not supported for operation " +
                                     name.text);
    }
    agg.param = param.number;
    SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kComma).status());
  } else if (agg.op == RangeOp::kQuantileOverTime) {
    return ctx->ErrorAt(ctx->Peek(), "parameter required for operation quantile_over_time, "
                                     "e.g. quantile_over_time(0.99, ...)");
  }
  SILT_ASSIGN_OR_RETURN(agg.range, ParseLogRange(ctx));
  SILT_RETURN_IF_ERROR(ctx->Expect(TokenKind::kRightParen).status());
  if (ctx->PeekWord("by") || ctx->PeekWord("without")) {
    SILT_ASSIGN_OR_RETURN(agg.grouping, ParseGrouping(ctx));
  }
  SILT_RETURN_IF_ERROR(Validate(ctx, name, agg));
  return agg;
}

}  // namespace silt::logql
