// The `| unpack` parser, for lines packed by Promtail's `pack` stage: the line must be a JSON
// object; its `_entry` string replaces the line, every other string member becomes a label
// (sanitized; a clash with a stream label gives `_extracted`); members of other types are
// skipped. A line that is not a JSON object sets __error__=JSONParserErr and __error_details__
// and is kept unchanged.
// Immutable after compilation; thread-safe (parser state lives in StageScratch).
#pragma once

#include <memory>

#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakeUnpackParser();

}  // namespace silt::logql::pipeline
