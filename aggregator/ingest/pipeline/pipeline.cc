// Building and running a pipeline (pipeline.h).
#include "aggregator/ingest/pipeline/pipeline.h"

#include <type_traits>
#include <utility>

namespace silt::ingest {
namespace {

// The stage for one config; nullptr when the config is incomplete (its reading failed).
std::unique_ptr<Stage> MakeStage(StageConfig config, const StageContext& context) {
  return std::visit(
      [&](auto&& c) -> std::unique_ptr<Stage> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, JsonStageConfig>) {
          return std::make_unique<JsonStage>(std::move(c), context);
        } else if constexpr (std::is_same_v<T, LogfmtStageConfig>) {
          return std::make_unique<LogfmtStage>(std::move(c), context);
        } else if constexpr (std::is_same_v<T, RegexStageConfig>) {
          if (c.regex == nullptr) return nullptr;
          return std::make_unique<RegexStage>(std::move(c), context);
        } else if constexpr (std::is_same_v<T, LabelsStageConfig>) {
          if (c.names.empty() || c.max_values_per_label == 0) return nullptr;
          return std::make_unique<LabelsStage>(std::move(c), context);
        } else if constexpr (std::is_same_v<T, TimestampStageConfig>) {
          if (!c.format.has_value() || c.source.empty()) return nullptr;
          return std::make_unique<TimestampStage>(std::move(c), context);
        } else if constexpr (std::is_same_v<T, StructuredMetadataStageConfig>) {
          return std::make_unique<StructuredMetadataStage>(std::move(c));
        } else if constexpr (std::is_same_v<T, OutputStageConfig>) {
          if (c.source.empty()) return nullptr;
          return std::make_unique<OutputStage>(std::move(c), context);
        } else {
          static_assert(std::is_same_v<T, DropStageConfig>);
          if (c.regex == nullptr) return nullptr;
          return std::make_unique<DropStage>(std::move(c));
        }
      },
      config);
}

}  // namespace

Result<std::unique_ptr<Pipeline>> Pipeline::Create(PipelineConfig config,
                                                   const PipelineOptions& options) {
  if (options.registry == nullptr || options.name.empty()) {
    return Status::InvalidArgument("pipeline \"" + options.name +
                                   "\": a pipeline needs a name and a metrics registry");
  }
  std::unique_ptr<Pipeline> pipeline(new Pipeline());
  pipeline->name_ = options.name;
  StageContext context;
  context.pipeline = options.name;
  context.logger = options.logger;
  context.clock = options.clock;
  if (context.clock == nullptr) {
    pipeline->owned_clock_ = std::make_unique<time::SystemClock>();
    context.clock = pipeline->owned_clock_.get();
  }
  SILT_ASSIGN_OR_RETURN(
      context.failures,
      options.registry->RegisterCounterFamily(
          "silt_pipeline_stage_failures_total",
          "Entries an ingest pipeline stage could not process (kept unchanged by that stage).",
          {"pipeline", "stage", "reason"}));
  SILT_ASSIGN_OR_RETURN(
      context.refusals,
      options.registry->RegisterCounterFamily(
          "silt_pipeline_cardinality_refusals_total",
          "Label values not promoted because the label reached max_values_per_label (kept as "
          "structured metadata).",
          {"pipeline", "label"}));
  SILT_ASSIGN_OR_RETURN(metrics::CounterFamily * dropped,
                        options.registry->RegisterCounterFamily(
                            "silt_pipeline_dropped_entries_total",
                            "Entries removed on purpose by a drop stage.", {"pipeline"}));
  pipeline->dropped_ = &dropped->WithLabels({options.name});
  for (size_t i = 0; i < config.stages.size(); ++i) {
    std::unique_ptr<Stage> stage = MakeStage(std::move(config.stages[i]), context);
    if (stage == nullptr) {
      return Status::InvalidArgument("pipeline \"" + options.name + "\": stage " +
                                     std::to_string(i + 1) +
                                     " is incomplete; check the errors of its config");
    }
    pipeline->stages_.push_back(std::move(stage));
  }
  return pipeline;
}

bool Pipeline::Apply(PipelineEntry& entry) const {
  for (const std::unique_ptr<Stage>& stage : stages_) {
    switch (stage->Apply(entry)) {
      case StageOutcome::kContinue:
        break;
      case StageOutcome::kStop:
        return true;
      case StageOutcome::kDrop:
        dropped_->Inc();
        return false;
    }
  }
  return true;
}

}  // namespace silt::ingest
