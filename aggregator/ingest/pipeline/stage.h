// Stage: one step of an ingest Pipeline (json, logfmt, regex, labels, timestamp,
// structured_metadata, output, drop), built from its config by Pipeline::Create. A stage that
// cannot do its work on an entry (the line is not JSON, the regex does not match, a timestamp
// does not parse) leaves the entry as it was before the stage and counts the failure in
// silt_pipeline_stage_failures_total{pipeline,stage,reason}; it never loses the entry.
//
// StageContext hands a stage its counters when it is built, so applying a stage only bumps
// counters it already holds.
//
// Thread-safety: a built Stage is immutable (or internally synchronized) and Apply may run on
// many threads at once, each with its own PipelineEntry.
#pragma once

#include <string>
#include <string_view>

#include "aggregator/ingest/pipeline/pipeline_entry.h"
#include "shared/log/logger.h"
#include "shared/metrics/counter.h"
#include "shared/metrics/family.h"
#include "shared/time/clock.h"

namespace silt::ingest {

// What the pipeline does after a stage.
enum class StageOutcome {
  kContinue,  // run the next stage
  kStop,      // keep the entry as it is and skip the remaining stages
  kDrop,      // the entry was dropped on purpose by a `drop` stage
};

class Stage {
 public:
  virtual ~Stage() = default;
  // Applies the stage to `entry`. Failures are counted, never returned.
  virtual StageOutcome Apply(PipelineEntry& entry) const = 0;
};

// What a stage needs from its pipeline when it is built. The pointers must outlive the stage.
struct StageContext {
  std::string pipeline;                        // the pipeline's name, for metrics and logs
  metrics::CounterFamily* failures = nullptr;  // {pipeline,stage,reason}
  metrics::CounterFamily* refusals = nullptr;  // {pipeline,label}
  log::Logger* logger = nullptr;               // may be null: no log lines
  const time::Clock* clock = nullptr;          // monotonic time for rate-limited messages

  // The failure counter of (`stage`, `reason`) in this pipeline.
  metrics::Counter& Failure(std::string_view stage, std::string_view reason) const {
    return failures->WithLabels({pipeline, stage, reason});
  }
};

// Failure reasons, the `reason` label values.
inline constexpr std::string_view kReasonNotJson = "not_json";
inline constexpr std::string_view kReasonSyntax = "syntax_error";
inline constexpr std::string_view kReasonNoMatch = "no_match";
inline constexpr std::string_view kReasonMissingField = "missing_field";
inline constexpr std::string_view kReasonBadTimestamp = "bad_timestamp";
inline constexpr std::string_view kReasonInvalidLabelValue = "invalid_label_value";

}  // namespace silt::ingest
