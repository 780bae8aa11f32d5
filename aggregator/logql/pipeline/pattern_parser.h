// The `| pattern "..."` parser: Loki's pattern matching (pattern_matcher.h Extract); each named
// capture that matched becomes an extracted label (a clash with a stream label gets
// `_extracted`). A line the pattern does not match gets no labels and no error, as in Loki.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakePatternParser(const PatternParser& parser);

}  // namespace silt::logql::pipeline
