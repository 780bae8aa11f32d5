// A listener's pipeline with its label validation and outcome counter (listener_pipeline.h).
#include "aggregator/ingest/pipeline/listener_pipeline.h"

#include <optional>
#include <utility>

namespace silt::ingest {

Result<std::unique_ptr<ListenerPipeline>> ListenerPipeline::Create(
    PipelineConfig config, ListenerPipelineOptions options) {
  if (config.stages.empty()) return std::unique_ptr<ListenerPipeline>();
  if (options.registry == nullptr || options.listener.empty()) {
    return Status::InvalidArgument("listener pipeline \"" + options.listener +
                                   "\": a listener pipeline needs a name and a metrics registry");
  }
  PipelineOptions pipeline_options{.name = options.listener,
                                   .registry = options.registry,
                                   .logger = options.logger,
                                   .clock = options.clock};
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> pipeline,
                        Pipeline::Create(std::move(config), pipeline_options));
  SILT_ASSIGN_OR_RETURN(
      metrics::CounterFamily * entries,
      options.registry->RegisterCounterFamily(
          "silt_pipeline_entries_total",
          "Entries through a listener's ingest pipeline, by result: kept, guarded (a label "
          "value refused by the cardinality guard), label_fallback (stored under the input "
          "labels: the pipeline's labels were invalid), dropped (by a drop stage).",
          {"listener", "result"}));
  const std::string listener = options.listener;
  std::unique_ptr<ListenerPipeline> self(
      new ListenerPipeline(std::move(options), std::move(pipeline)));
  self->kept_ = &entries->WithLabels({listener, "kept"});
  self->guarded_ = &entries->WithLabels({listener, "guarded"});
  self->fallback_ = &entries->WithLabels({listener, "label_fallback"});
  self->dropped_ = &entries->WithLabels({listener, "dropped"});
  return self;
}

bool ListenerPipeline::Apply(PipelineEntry& entry, labels::LabelSet* labels) const {
  if (!pipeline_->Apply(entry)) {
    dropped_->Inc();
    return false;
  }
  if (entry.promoted.empty()) {
    *labels = entry.stream_labels();
  } else {
    labels::LabelSet output = entry.OutputLabels();
    Status valid = labels::ValidateLabelSet(output, options_.label_limits);
    if (!valid.ok()) {
      fallback_->Inc();
      WarnFallback(output, valid);
      *labels = entry.stream_labels();
      return true;
    }
    *labels = std::move(output);
  }
  (entry.label_refused ? guarded_ : kept_)->Inc();
  return true;
}

PipelineEntry& ListenerPipeline::ThreadEntry() {
  thread_local PipelineEntry entry;
  return entry;
}

void ListenerPipeline::WarnFallback(const labels::LabelSet& rejected, const Status& why) const {
  if (options_.logger == nullptr) return;
  const int64_t now = options_.clock != nullptr ? options_.clock->MonotonicNanos()
                                                : time::SystemClock().MonotonicNanos();
  const std::optional<uint64_t> count = fallback_warnings_.Note(now);
  if (!count.has_value()) return;
  options_.logger->Warn(
      "pipeline",
      "the labels an ingest pipeline made are invalid, so entries are stored under the labels "
      "they arrived with; promote fewer or shorter labels in the listener's labels stage, or "
      "raise the label limits",
      {{"listener", options_.listener},
       {"labels", rejected.ToString()},
       {"error", why},
       {"fallbacks_since_last_warning", *count}});
}

}  // namespace silt::ingest
