// The `| drop` and `| keep` stages, as Loki applies them. drop removes each named label, or,
// for a matcher (`level="debug"`), the label when its value matches. keep removes every label
// that is not named, and a named label with a matcher when its value does not match; it never
// removes `__error__` and `__error_details__` (Loki's special labels).
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakeDropStage(const DropStage& stage);
std::unique_ptr<Stage> MakeKeepStage(const KeepStage& stage);

}  // namespace silt::logql::pipeline
