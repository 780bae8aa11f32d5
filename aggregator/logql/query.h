// Query: the AST of one LogQL query, either a log query (returns log lines) or a metric query
// (returns samples), and ParseQuery, the entry point of the LogQL front end: lexer (lexer.h) ->
// parsers (log_query_parser, stage_parser, label_filter_parser, range_parser, metric_parser)
// -> this tree, which the planner and executor consume. No execution happens here.
// Value type; thread-safe to read; ParseQuery is thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"

namespace silt::logql {

struct Query {
  std::variant<LogQuery, MetricExpr> node;
  bool operator==(const Query&) const = default;

  bool is_metric() const { return std::holds_alternative<MetricExpr>(node); }
  // Canonical LogQL; ParseQuery(String()) gives back an equal Query.
  std::string String() const;
};

// Parses `text`. Errors are InvalidArgument with Loki's wording and a position:
// "parse error at line 1, col 14: syntax error: unexpected }, expecting STRING";
// validation errors (empty-compatible selectors, a regexp parser without named groups, a
// range aggregation without a required unwrap, ...) use the same prefix at the offending token.
// Nesting deeper than kMaxNestingDepth and more than kMaxBinaryNodes binary operations are
// rejected, so no input can exhaust the stack.
Result<Query> ParseQuery(std::string_view text);

}  // namespace silt::logql
