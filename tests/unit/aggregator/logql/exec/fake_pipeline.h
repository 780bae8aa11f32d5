// FakePipeline: a test double of logql::Pipeline for executor tests that must not depend on the
// real stages: keeps lines containing `needle` (all when empty); when `level_label` is set, a
// line starting with "level=<word> " gets the output label level=<word>, so entries of one
// stream split into several output streams; `on_entry` runs before each entry (e.g. to advance
// a FakeClock). Single-threaded, like a StreamPipeline.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "aggregator/logql/pipeline/pipeline.h"

namespace silt::logql::exec::testing {

struct FakePipelineOptions {
  std::string needle;
  bool level_label = false;
  std::function<void()> on_entry;
};

class FakeStreamPipeline final : public StreamPipeline {
 public:
  FakeStreamPipeline(const FakePipelineOptions* options, labels::LabelSet stream)
      : options_(options), stream_(std::move(stream)) {}

  bool Process(int64_t, std::string_view line, std::span<const labels::LabelView>,
               PipelineEntry* out) override {
    if (options_->on_entry) options_->on_entry();
    if (line.find(options_->needle) == std::string_view::npos) return false;
    out->line = line;
    out->labels = stream_;
    if (options_->level_label && line.starts_with("level=")) {
      std::string_view rest = line.substr(6);
      std::string_view level = rest.substr(0, rest.find(' '));
      labels::LabelSetBuilder builder;
      for (labels::LabelView label : stream_) builder.Set(label.name, label.value);
      builder.Set("level", level);
      out->labels = builder.Build();
    }
    return true;
  }

 private:
  const FakePipelineOptions* options_;
  labels::LabelSet stream_;
};

class FakePipeline final : public Pipeline {
 public:
  explicit FakePipeline(FakePipelineOptions options) : options_(std::move(options)) {}
  bool FiltersOnly() const override { return !options_.level_label; }
  std::unique_ptr<StreamPipeline> ForStream(const labels::LabelSet& labels) const override {
    return std::make_unique<FakeStreamPipeline>(&options_, labels);
  }

 private:
  FakePipelineOptions options_;
};

}  // namespace silt::logql::exec::testing
