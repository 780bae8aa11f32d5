// The `labels` stage: promotes an allow list of extracted fields to stream labels, with a
// cardinality guard per (pipeline, label):
//   - labels: {names: [level, app], max_values_per_label: 50}
// Only the listed names are promoted, each a valid label name that is not reserved (`__x`). A
// field that is absent gives no label. A value that is not valid UTF-8 or is longer than 2048
// bytes (Loki's label value limit) is not promoted: it goes to structured metadata and is counted
// (reason invalid_label_value). Once a label has seen max_values_per_label distinct values, a
// new value goes to structured metadata too (cardinality_guard.h). The field stays extracted,
// so later stages can still use it.
// Thread-safety: see stage.h; the guards are internally synchronized.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/cardinality_guard.h"
#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

inline constexpr uint32_t kDefaultMaxValuesPerLabel = 100;

struct LabelsStageConfig {
  std::vector<std::string> names;
  uint32_t max_values_per_label = kDefaultMaxValuesPerLabel;
};

// Reads the settings of a `labels:` stage (`names`, `max_values_per_label`); errors are recorded
// in `r`.
void ReadLabelsStage(config::ObjectReader& r, LabelsStageConfig* out);

class LabelsStage final : public Stage {
 public:
  LabelsStage(LabelsStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  struct Promotion {
    std::string name;
    std::unique_ptr<CardinalityGuard> guard;
  };
  std::vector<Promotion> promotions_;
  metrics::Counter* invalid_value_;
};

}  // namespace silt::ingest
