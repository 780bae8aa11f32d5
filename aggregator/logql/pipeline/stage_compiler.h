// CompileStage: turns one parsed stage (log_expr.h PipelineStage) into its Stage
// implementation (one file per stage kind in this folder).
// Thread-safe (no shared state).
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument naming the stage when something the parser accepted cannot be compiled (a
// regex RE2 rejects, an ip() pattern, a template argument).
Result<std::unique_ptr<Stage>> CompileStage(const PipelineStage& stage);

}  // namespace silt::logql::pipeline
