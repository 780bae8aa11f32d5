// StageScratch lifetime (stage.h); out of line because JsonScratch is only declared there.
#include "aggregator/logql/pipeline/stage.h"

#include "aggregator/logql/pipeline/json_scratch.h"

namespace silt::logql::pipeline {

StageScratch::StageScratch() = default;
StageScratch::~StageScratch() = default;

}  // namespace silt::logql::pipeline
