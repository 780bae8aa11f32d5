// Pipeline and StreamPipeline (pipeline.h): the compiled stages run in order over a
// LabelsBuilder, with the output LabelSets cached per stream.
#include "aggregator/logql/pipeline/pipeline.h"

#include <utility>

#include "aggregator/logql/pipeline/label_set_cache.h"
#include "aggregator/logql/pipeline/labels_builder.h"
#include "aggregator/logql/pipeline/stage.h"
#include "aggregator/logql/pipeline/stage_compiler.h"

namespace silt::logql {
namespace {

using pipeline::Stage;
// Shared by the Pipeline and its StreamPipelines, so a StreamPipeline may outlive the Pipeline.
using Stages = std::shared_ptr<const std::vector<std::unique_ptr<Stage>>>;

class StreamPipelineImpl final : public StreamPipeline {
 public:
  StreamPipelineImpl(Stages stages, labels::LabelSet stream)
      : stages_(std::move(stages)), stream_(std::move(stream)) {
    for (labels::LabelView label : stream_) stream_views_.push_back(label);
  }

  bool Process(int64_t timestamp_ns, std::string_view line,
               std::span<const labels::LabelView> metadata, PipelineEntry* out) override {
    builder_.Reset(stream_views_, metadata);
    scratch_.current_line_buffer = -1;
    pipeline::EntryContext entry;
    entry.timestamp_ns = timestamp_ns;
    entry.line = line;
    entry.labels = &builder_;
    entry.scratch = &scratch_;
    for (const std::unique_ptr<Stage>& stage : *stages_) {
      if (!stage->Process(&entry)) return false;
    }
    out->line = entry.line;
    out->labels = cache_.Get(builder_);
    return true;
  }

 private:
  Stages stages_;
  labels::LabelSet stream_;
  std::vector<labels::LabelView> stream_views_;  // into stream_
  pipeline::LabelsBuilder builder_;
  pipeline::StageScratch scratch_;
  pipeline::LabelSetCache cache_;
};

// Only line filters: labels are the stream's (plus metadata), computed without the builder
// when there is no metadata.
class FiltersOnlyStreamPipeline final : public StreamPipeline {
 public:
  FiltersOnlyStreamPipeline(Stages stages, labels::LabelSet stream)
      : general_(stages, stream), stages_(std::move(stages)), stream_(std::move(stream)) {}

  bool Process(int64_t timestamp_ns, std::string_view line,
               std::span<const labels::LabelView> metadata, PipelineEntry* out) override {
    if (!metadata.empty()) return general_.Process(timestamp_ns, line, metadata, out);
    pipeline::EntryContext entry;
    entry.timestamp_ns = timestamp_ns;
    entry.line = line;
    for (const std::unique_ptr<Stage>& stage : *stages_) {
      if (!stage->Process(&entry)) return false;
    }
    out->line = line;
    out->labels = stream_;
    return true;
  }

 private:
  StreamPipelineImpl general_;
  Stages stages_;
  labels::LabelSet stream_;
};

class PipelineImpl final : public Pipeline {
 public:
  explicit PipelineImpl(std::vector<std::unique_ptr<Stage>> stages)
      : stages_(std::make_shared<const std::vector<std::unique_ptr<Stage>>>(std::move(stages))) {
    for (const auto& stage : *stages_) filters_only_ = filters_only_ && stage->IsLineFilter();
  }

  bool FiltersOnly() const override { return filters_only_; }

  std::unique_ptr<StreamPipeline> ForStream(const labels::LabelSet& stream_labels) const override {
    if (filters_only_) {
      return std::make_unique<FiltersOnlyStreamPipeline>(stages_, stream_labels);
    }
    return std::make_unique<StreamPipelineImpl>(stages_, stream_labels);
  }

 private:
  Stages stages_;
  bool filters_only_ = true;
};

}  // namespace

Result<std::unique_ptr<Pipeline>> Pipeline::Compile(const std::vector<PipelineStage>& stages) {
  std::vector<std::unique_ptr<Stage>> compiled;
  compiled.reserve(stages.size());
  for (const PipelineStage& stage : stages) {
    Result<std::unique_ptr<Stage>> one = pipeline::CompileStage(stage);
    if (!one.ok()) return one.status();
    compiled.push_back(std::move(one).value());
  }
  return std::unique_ptr<Pipeline>(std::make_unique<PipelineImpl>(std::move(compiled)));
}

}  // namespace silt::logql
