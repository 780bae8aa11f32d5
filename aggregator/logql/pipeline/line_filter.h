// Line filters (`|= != |~ !~ |> !>`, each with `or` alternatives and `ip("...")` terms), as
// Loki applies them: `|=` keeps a line containing any alternative (memmem-style search; an
// empty literal matches every line), `|~` a line where any RE2 alternative matches somewhere
// (unanchored), `|>` a line matching any pattern (pattern_matcher.h Test), and `ip()` a line
// holding an address inside the range. The negated operators keep a line that none of the
// alternatives match (`!= "a" or "b"` drops lines containing either).
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument naming the filter when a regex, pattern or ip() argument does not compile.
Result<std::unique_ptr<Stage>> CompileLineFilter(const LineFilter& filter);

}  // namespace silt::logql::pipeline
