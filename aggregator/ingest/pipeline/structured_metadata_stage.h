// The `structured_metadata` stage: moves listed extracted fields to the entry's structured
// metadata (kept with the entry, not part of the stream's identity, so high-cardinality values
// such as user or trace ids belong here):
//   - structured_metadata: {names: [user, trace_id]}
// Names must be valid label names (Loki's rule for metadata names). An absent field is skipped.
// Thread-safety: see stage.h.
#pragma once

#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

struct StructuredMetadataStageConfig {
  std::vector<std::string> names;
};

// Reads the settings of a `structured_metadata:` stage (`names`); errors are recorded in `r`.
void ReadStructuredMetadataStage(config::ObjectReader& r, StructuredMetadataStageConfig* out);

class StructuredMetadataStage final : public Stage {
 public:
  explicit StructuredMetadataStage(StructuredMetadataStageConfig config);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  StructuredMetadataStageConfig config_;
};

}  // namespace silt::ingest
