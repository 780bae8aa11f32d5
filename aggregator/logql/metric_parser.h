// Parses metric expressions: binary operations with Prometheus precedence (`or` < `and`
// `unless` < comparisons < `+ -` < `* / %` < `^`, all left-associative except the
// right-associative `^`), `bool`, `on`/`ignoring`, `group_left`/`group_right`; vector
// aggregations with `by`/`without` before or after the arguments; range aggregations
// (range_parser.h); number literals (with an optional sign), `vector(n)`, `label_replace(...)`
// and parentheses. Not thread-safe (uses one ParseContext).
#pragma once

#include "aggregator/logql/metric_expr.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {

// Parses a metric expression at the current token.
Result<MetricExpr> ParseMetricExpr(ParseContext* ctx);

// Parses `by (a, b)` / `without (a)` / `by ()` at the `by` or `without` word.
Result<Grouping> ParseGrouping(ParseContext* ctx);

}  // namespace silt::logql
