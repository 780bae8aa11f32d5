// Parses a range aggregation: `op([param,] logRange) [by|without (...)]`, where the log range
// is a log query with an optional `| unwrap`, a `[range]` and an optional `offset`, in every
// order Loki accepts (`{..} | json | unwrap x [5m]`, `{..}[5m] | json | unwrap x`,
// `({..} | json)[5m] offset 1h`). Checks Loki's rules: which operations need or refuse unwrap,
// which accept grouping, and that only quantile_over_time takes a parameter.
// Not thread-safe (uses one ParseContext).
#pragma once

#include "aggregator/logql/metric_expr.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {

// Parses at the operation name. Precondition: the current token is a range operation name
// (RangeOpFromName) followed by '('.
Result<RangeAggregation> ParseRangeAggregation(ParseContext* ctx);

}  // namespace silt::logql
