// One entry on its way through a pipeline (pipeline_entry.h).
#include "aggregator/ingest/pipeline/pipeline_entry.h"

#include <utility>

#include "aggregator/ingest/pipeline/json_scratch.h"

namespace silt::ingest {

StageScratch::StageScratch() = default;
StageScratch::~StageScratch() = default;

void PipelineEntry::Reset(labels::LabelSet stream_labels, int64_t entry_timestamp,
                          std::string_view line, std::span<const labels::LabelView> input) {
  stream_labels_ = std::move(stream_labels);
  timestamp = entry_timestamp;
  line_ = line;
  fields.Clear();
  promoted.Clear();
  metadata.Clear();
  label_refused = false;
  for (const labels::LabelView& pair : input) metadata.Set(pair.name, pair.value);
}

labels::LabelSet PipelineEntry::OutputLabels() const {
  if (promoted.empty()) return stream_labels_;
  labels::LabelSetBuilder builder(stream_labels_);
  for (const Field& label : promoted) builder.Set(label.name, label.value);
  return builder.Build();
}

void PipelineEntry::SetLine(std::string_view line) {
  // `line` may point into line_buffer_ or a field: copy it aside before replacing.
  line_next_.assign(line);
  std::swap(line_buffer_, line_next_);
  line_ = line_buffer_;
}

}  // namespace silt::ingest
