// The `timestamp` stage: sets the entry's timestamp from an extracted field:
//   - timestamp: {source: ts, format: RFC3339Nano, location: Europe/Berlin,
//                 action_on_failure: keep}
// `format` and `location` as in time_format.h. When the field is absent (reason missing_field)
// or does not parse (reason bad_timestamp) the entry keeps the timestamp it had and the failure
// is counted; with action_on_failure `skip` the remaining stages are skipped for that entry too
// (use it when later stages only make sense for well-formed lines).
// Thread-safety: see stage.h.
#pragma once

#include <optional>
#include <string>

#include "aggregator/ingest/pipeline/stage.h"
#include "aggregator/ingest/pipeline/time_format.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

enum class TimestampFailureAction { kKeep, kSkip };

struct TimestampStageConfig {
  std::string source;
  std::optional<TimeFormat> format;  // set when the config was valid
  std::string format_text;           // `format` as written
  std::string location;              // `location` as written ("" is UTC)
  TimestampFailureAction action_on_failure = TimestampFailureAction::kKeep;
};

// Reads the settings of a `timestamp:` stage (`source`, `format`, `location`,
// `action_on_failure`); errors are recorded in `r`.
void ReadTimestampStage(config::ObjectReader& r, TimestampStageConfig* out);

class TimestampStage final : public Stage {
 public:
  TimestampStage(TimestampStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  StageOutcome Fail(metrics::Counter* counter) const;

  TimestampStageConfig config_;
  metrics::Counter* missing_field_;
  metrics::Counter* bad_timestamp_;
};

}  // namespace silt::ingest
