// The `| decolorize` stage: removes ANSI escape sequences (colours, cursor movement; ESC or CSI
// U+009B introduced, as the ansi-regex expression Loki uses describes them) from the line.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakeDecolorizeStage();

}  // namespace silt::logql::pipeline
