// Parses the pipeline stages that follow `|` and start with a keyword: the parsers (json,
// logfmt, regexp, pattern, unpack), decolorize, line_format, label_format, drop and keep. Each
// validates what Loki validates when it builds the stage (regexp named groups, pattern syntax,
// JSON paths, templates, label names), so errors carry the query position.
// Not thread-safe (uses one ParseContext).
#pragma once

#include <optional>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {

// True when the current token is the keyword of a stage this file parses.
bool StartsKeywordStage(const ParseContext& ctx);

// Parses the stage at the current token (after the `|`). Precondition: StartsKeywordStage(ctx).
Result<PipelineStage> ParseKeywordStage(ParseContext* ctx);

}  // namespace silt::logql
