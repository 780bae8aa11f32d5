// EmitPipelineConfig: a PipelineConfig as the `pipeline:` YAML list it was read from, every
// stage with all its settings after defaults (GET /config and --print-config show it), in the
// forms ReadPipelineConfig reads back: regexes as written, JSON paths as written, time formats
// and zones by name.
// Thread-safety: a pure function.
#pragma once

#include <yaml-cpp/yaml.h>

#include "aggregator/ingest/pipeline/pipeline_config.h"

namespace silt::ingest {

// Writes the list (a YAML sequence, `[]` when empty) as the current value of `out`.
void EmitPipelineConfig(const PipelineConfig& config, YAML::Emitter* out);

}  // namespace silt::ingest
