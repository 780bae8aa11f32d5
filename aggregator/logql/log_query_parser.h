// Parses a log query: the stream selector `{name="v", ...}` and the pipeline after it (line
// filters, `| stage` and `| label filter`). The pipeline stops before `| unwrap`, a range, a
// closing parenthesis or the end, so metric_parser.h can continue from there.
// Not thread-safe (uses one ParseContext).
#pragma once

#include <vector>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {

// Parses `{...}` at the current token. Matchers are compiled (RE2, anchored); at least one must
// be an `=` or `=~` matcher that does not match the empty string, as Loki requires.
Result<std::vector<labels::Matcher>> ParseSelector(ParseContext* ctx);

// Appends the pipeline stages at the current token to *stages.
Status ParsePipeline(ParseContext* ctx, std::vector<PipelineStage>* stages);

// A selector followed by its pipeline.
Result<LogQuery> ParseLogQuery(ParseContext* ctx);

}  // namespace silt::logql
