// ListenerPipeline: the ingest Pipeline one listener (syslog, push) runs on its entries, the
// validation of the labels it makes, and the per-listener outcome counter
//
//   silt_pipeline_entries_total{listener,result}
//     kept            left the pipeline for storage (changed or not; push validation follows)
//     guarded         kept, but a labels stage's cardinality guard refused a value of it (the
//                     value went to structured metadata; the guard logs the reason)
//     label_fallback  kept under its input labels, because the labels the pipeline made failed
//                     the listener's label limits (logged at most once a minute per listener)
//     dropped         removed on purpose by a drop stage (not a rejection)
//
// A listener without a `pipeline:` list has no ListenerPipeline (Create returns null) and pays
// nothing per entry. Each entry is counted under exactly one result.
//
// Thread-safety: Apply may run on any number of threads at once, each with its own
// PipelineEntry (ThreadEntry gives one per thread). The Registry, Logger and Clock given must
// outlive the ListenerPipeline.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "aggregator/ingest/pipeline/pipeline.h"
#include "aggregator/ingest/pipeline/pipeline_config.h"
#include "aggregator/ingest/pipeline/pipeline_entry.h"
#include "shared/labels/label_set.h"
#include "shared/labels/validation.h"
#include "shared/log/logger.h"
#include "shared/log/warning_throttle.h"
#include "shared/metrics/counter.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::ingest {

struct ListenerPipelineOptions {
  std::string listener;                   // names the pipeline in metrics and logs ("syslog")
  labels::ValidationLimits label_limits;  // the labels the pipeline makes must pass these
  metrics::Registry* registry = nullptr;  // required
  log::Logger* logger = nullptr;          // null: nothing is logged
  const time::Clock* clock = nullptr;     // null: the system clock
  int64_t message_interval_ns = int64_t{60} * 1'000'000'000;
};

class ListenerPipeline {
 public:
  // The pipeline of `config`, or null (not an error) when `config` has no stage. InvalidArgument
  // when the options lack a listener name or registry, or a stage is incomplete (its reading
  // failed); the registry's error when a metric name is taken with another shape.
  static Result<std::unique_ptr<ListenerPipeline>> Create(PipelineConfig config,
                                                          ListenerPipelineOptions options);
  ListenerPipeline(const ListenerPipeline&) = delete;
  ListenerPipeline& operator=(const ListenerPipeline&) = delete;

  // Runs the pipeline on `entry` (which the caller has Reset with the input) and counts the
  // result. Returns false when a drop stage removed the entry. Otherwise true, with *labels set
  // to the labels to store the entry under: the pipeline's output labels when they pass the
  // label limits (or nothing was promoted), else the input labels. The entry's timestamp, line()
  // and metadata hold the rest of the output; line() may point into the entry or the input.
  bool Apply(PipelineEntry& entry, labels::LabelSet* labels) const;

  // A PipelineEntry owned by the calling thread, reused from call to call so that its buffers
  // stay warm; valid until the thread exits.
  static PipelineEntry& ThreadEntry();

  const std::string& listener() const { return options_.listener; }

 private:
  ListenerPipeline(ListenerPipelineOptions options, std::unique_ptr<Pipeline> pipeline)
      : options_(std::move(options)),
        pipeline_(std::move(pipeline)),
        fallback_warnings_(options_.message_interval_ns) {}

  // Logs the label_fallback warning when the interval has passed since the last one.
  void WarnFallback(const labels::LabelSet& rejected, const Status& why) const;

  const ListenerPipelineOptions options_;
  std::unique_ptr<Pipeline> pipeline_;
  metrics::Counter* kept_ = nullptr;
  metrics::Counter* guarded_ = nullptr;
  metrics::Counter* fallback_ = nullptr;
  metrics::Counter* dropped_ = nullptr;
  mutable log::WarningThrottle fallback_warnings_;
};

}  // namespace silt::ingest
