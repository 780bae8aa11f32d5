// The `output` stage: replaces the line with an extracted field, e.g. the message of a JSON log
// once its other fields became labels and metadata:
//   - output: {source: msg}
// An absent field is a failure (reason missing_field) that keeps the line.
// Thread-safety: see stage.h.
#pragma once

#include <string>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

struct OutputStageConfig {
  std::string source;
};

// Reads the settings of an `output:` stage (`source`); errors are recorded in `r`.
void ReadOutputStage(config::ObjectReader& r, OutputStageConfig* out);

class OutputStage final : public Stage {
 public:
  OutputStage(OutputStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  OutputStageConfig config_;
  metrics::Counter* missing_field_;
};

}  // namespace silt::ingest
