// Pipeline: the ingest stages of one listener (json, logfmt, regex, labels, timestamp,
// structured_metadata, output, drop), built once from a PipelineConfig and applied to one entry
// at a time by the listener's threads:
//
//   SILT_ASSIGN_OR_RETURN(auto pipeline, Pipeline::Create(config, {.name = "syslog",
//                                                                  .registry = &registry}));
//   thread_local PipelineEntry entry;           // one per thread: its buffers are reused
//   entry.Reset(stream_labels, ts, line, metadata);
//   if (pipeline->Apply(entry)) { ... entry.OutputLabels(), entry.timestamp, entry.line(),
//                                     entry.metadata ... }
//
// A stage that fails on an entry leaves it unchanged and is counted; only a `drop` stage removes
// an entry. Metrics (registered in the Registry given, shared by all pipelines):
//   silt_pipeline_stage_failures_total{pipeline,stage,reason}
//   silt_pipeline_cardinality_refusals_total{pipeline,label}
//   silt_pipeline_dropped_entries_total{pipeline}
//
// Thread-safety: Apply may be called from any number of threads at once, each with its own
// PipelineEntry. The Registry, Logger and Clock given must outlive the Pipeline.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/pipeline_config.h"
#include "aggregator/ingest/pipeline/pipeline_entry.h"
#include "aggregator/ingest/pipeline/stage.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::ingest {

struct PipelineOptions {
  std::string name;                       // names the pipeline in metrics and logs ("syslog")
  metrics::Registry* registry = nullptr;  // required
  log::Logger* logger = nullptr;          // null: no cardinality warnings are logged
  const time::Clock* clock = nullptr;     // null: the system clock
};

class Pipeline {
 public:
  // Builds the stages of `config`. InvalidArgument when the options lack a registry or a name,
  // or when `config` holds a stage whose reading failed (callers check the reader's Finish()
  // first); the Registry's error when the metrics cannot be registered.
  static Result<std::unique_ptr<Pipeline>> Create(PipelineConfig config,
                                                  const PipelineOptions& options);

  // Runs the stages in order on `entry`. Returns true when the entry is to be stored (always,
  // unless a `drop` stage matched).
  bool Apply(PipelineEntry& entry) const;

  const std::string& name() const { return name_; }
  size_t stage_count() const { return stages_.size(); }

 private:
  Pipeline() = default;

  std::string name_;
  std::unique_ptr<time::Clock> owned_clock_;
  std::vector<std::unique_ptr<Stage>> stages_;
  metrics::Counter* dropped_ = nullptr;
};

}  // namespace silt::ingest
