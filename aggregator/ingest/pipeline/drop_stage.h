// The `drop` stage: drops entries on purpose, when an RE2 expression matches (unanchored) the
// line or the field named by `source`:
//   - drop: {expression: 'GET /healthz'}
//   - drop: {source: level, expression: '^debug$'}
// An entry whose `source` field is absent is kept. Dropped entries are counted in
// silt_pipeline_dropped_entries_total{pipeline}. This is the only way a pipeline loses an entry.
// Thread-safety: see stage.h.
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

struct DropStageConfig {
  std::shared_ptr<const re2::RE2> regex;
  std::string source;  // empty: the line
};

// Reads the settings of a `drop:` stage (`expression`, `source`); errors are recorded in `r`.
void ReadDropStage(config::ObjectReader& r, DropStageConfig* out);

class DropStage final : public Stage {
 public:
  explicit DropStage(DropStageConfig config);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  DropStageConfig config_;
};

}  // namespace silt::ingest
