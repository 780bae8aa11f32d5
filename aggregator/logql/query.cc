// Query entry point (query.h).
#include "aggregator/logql/query.h"

#include <utility>

#include "aggregator/logql/lexer.h"
#include "aggregator/logql/log_query_parser.h"
#include "aggregator/logql/metric_parser.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {
namespace {

// The number of '(' before a '{' at the start: a log query in parentheses.
size_t LeadingParensBeforeSelector(const ParseContext& ctx) {
  size_t n = 0;
  while (ctx.PeekIs(TokenKind::kLeftParen, n)) ++n;
  return ctx.PeekIs(TokenKind::kLeftBrace, n) ? n : SIZE_MAX;
}

Result<Query> ParseTokens(ParseContext* ctx) {
  size_t parens = LeadingParensBeforeSelector(*ctx);
  if (parens == SIZE_MAX) {
    SILT_ASSIGN_OR_RETURN(MetricExpr expr, ParseMetricExpr(ctx));
    return Query{std::move(expr)};
  }
  if (parens > static_cast<size_t>(kMaxNestingDepth)) {
    return ctx->ErrorAt(ctx->Peek(), "query nested too deeply (more than " +
                                         std::to_string(kMaxNestingDepth) +
                                         " levels of parentheses); simplify it");
  }
  for (size_t i = 0; i < parens; ++i) ctx->Next();
  SILT_ASSIGN_OR_RETURN(LogQuery query, ParseLogQuery(ctx));
  for (size_t i = 0; i < parens; ++i) {
    if (!ctx->PeekIs(TokenKind::kRightParen)) {
      if (ctx->PeekIs(TokenKind::kRange)) {
        return ctx->ErrorAt(ctx->Peek(), "syntax error: unexpected RANGE: a range needs a range "
                                         "aggregation, e.g. count_over_time({...}[5m])");
      }
      return ctx->Unexpected({")"});
    }
    ctx->Next();
  }
  return Query{std::move(query)};
}

}  // namespace

std::string Query::String() const {
  if (const auto* log = std::get_if<LogQuery>(&node)) return log->String();
  return std::get<MetricExpr>(node).String();
}

Result<Query> ParseQuery(std::string_view text) {
  SILT_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  ParseContext ctx(std::move(tokens));
  SILT_ASSIGN_OR_RETURN(Query query, ParseTokens(&ctx));
  if (!ctx.PeekIs(TokenKind::kEnd)) {
    if (ctx.PeekIs(TokenKind::kRange) && !query.is_metric()) {
      return ctx.ErrorAt(ctx.Peek(), "syntax error: unexpected RANGE: a range needs a range "
                                     "aggregation, e.g. count_over_time({...}[5m])");
    }
    return ctx.Unexpected();
  }
  return query;
}

}  // namespace silt::logql
