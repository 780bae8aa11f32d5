// Test support for ingest pipeline tests: builds a Pipeline from YAML text with its own Registry,
// a FakeClock and a Logger over a MemorySink, and reads counters back.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "aggregator/ingest/pipeline/pipeline.h"
#include "shared/log/memory_sink.h"
#include "shared/time/fake_clock.h"

namespace silt::ingest {

class TestPipeline {
 public:
  // Builds the pipeline of `yaml` (a document holding `pipeline:`); fails the test when it does
  // not build.
  explicit TestPipeline(std::string_view yaml, std::string name = "test")
      : name_(name), logger_({.sink = &sink_, .clock = &clock_}) {
    Result<PipelineConfig> config = ParsePipelineConfig(yaml, "pipeline.yaml");
    EXPECT_TRUE(config.ok()) << config.status();
    if (!config.ok()) return;
    Result<std::unique_ptr<Pipeline>> pipeline = Pipeline::Create(
        std::move(*config),
        {.name = std::move(name), .registry = &registry_, .logger = &logger_, .clock = &clock_});
    EXPECT_TRUE(pipeline.ok()) << pipeline.status();
    if (pipeline.ok()) pipeline_ = std::move(*pipeline);
  }

  // Resets `entry` to (`labels`, `timestamp`, `line`) and applies the pipeline. Returns
  // Pipeline::Apply's answer.
  bool Run(PipelineEntry& entry, std::string_view line, int64_t timestamp = 1000,
           labels::LabelSet labels = labels::LabelSet::Of({{"job", "test"}})) {
    entry.Reset(std::move(labels), timestamp, line);
    if (pipeline_ == nullptr) {
      ADD_FAILURE() << "the pipeline did not build";
      return false;
    }
    return pipeline_->Apply(entry);
  }

  double Failures(std::string_view stage, std::string_view reason) {
    return Counter("silt_pipeline_stage_failures_total", {"pipeline", "stage", "reason"},
                   {name_, stage, reason});
  }
  double Refusals(std::string_view label) {
    return Counter("silt_pipeline_cardinality_refusals_total", {"pipeline", "label"},
                   {name_, label});
  }
  double Dropped() { return Counter("silt_pipeline_dropped_entries_total", {"pipeline"}, {name_}); }

  Pipeline& pipeline() { return *pipeline_; }
  metrics::Registry& registry() { return registry_; }
  log::MemorySink& sink() { return sink_; }
  time::FakeClock& clock() { return clock_; }

 private:
  double Counter(std::string_view name, std::vector<std::string> label_names,
                 std::initializer_list<std::string_view> values) {
    Result<metrics::CounterFamily*> family =
        registry_.RegisterCounterFamily(name, "", std::move(label_names));
    EXPECT_TRUE(family.ok()) << family.status();
    return (*family)->WithLabels(values).Value();
  }

  std::string name_;
  metrics::Registry registry_;
  time::FakeClock clock_;
  log::MemorySink sink_;
  log::Logger logger_;
  std::unique_ptr<Pipeline> pipeline_;
};

// The value of metadata `name`, or "<absent>".
inline std::string MetadataOf(const PipelineEntry& entry, std::string_view name) {
  std::optional<std::string_view> value = entry.metadata.Get(name);
  return value.has_value() ? std::string(*value) : std::string("<absent>");
}

// The value of field `name`, or "<absent>".
inline std::string FieldOf(const PipelineEntry& entry, std::string_view name) {
  std::optional<std::string_view> value = entry.fields.Get(name);
  return value.has_value() ? std::string(*value) : std::string("<absent>");
}

}  // namespace silt::ingest
