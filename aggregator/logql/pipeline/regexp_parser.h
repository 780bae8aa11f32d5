// The `| regexp "..."` parser: an unanchored RE2 search; on a match each named group becomes an
// extracted label (a clash with a stream label gets `_extracted`), an unmatched group an empty
// one. A line that does not match gets no labels and no error, as in Loki.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument when RE2 rejects the expression.
Result<std::unique_ptr<Stage>> CompileRegexpParser(const RegexpParser& parser);

}  // namespace silt::logql::pipeline
