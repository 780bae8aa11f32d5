#include "protocol/batch_builder.h"

#include <cassert>

namespace silt::protocol {
namespace {

// What Finish() adds per entry (its slot in the stream's offset vector), per stream (vector
// length, Stream table, slot in Batch.streams) and per source (SourceRange table and its slot),
// plus the Batch table and root offset; used by EstimatedSize().
constexpr size_t kFinishBytesPerEntry = 4;
constexpr size_t kFinishBytesPerStream = 24;
constexpr size_t kFinishBytesPerSource = 40;
constexpr size_t kFinishBytesPerBatch = 64;

}  // namespace

BatchBuilder::BatchBuilder(size_t initial_bytes) : fbb_(initial_bytes) {}

void BatchBuilder::Reset(uint64_t batch_id) {
  assert(batch_id != 0);
  fbb_.Clear();
  batch_id_ = batch_id;
  finished_ = false;
  entry_count_ = 0;
  for (size_t i = 0; i < stream_count_; ++i) streams_[i].entries.clear();
  stream_count_ = 0;
  sources_.clear();
}

uint32_t BatchBuilder::AddSource(uint64_t source_id, uint64_t start_offset, std::string_view path) {
  assert(!finished_);
  assert(source_id != 0);
#ifndef NDEBUG
  for (const SourceState& s : sources_) assert(s.source_id != source_id);
#endif
  const auto path_offset = fbb_.CreateString(path.data(), path.size());
  sources_.push_back(SourceState{source_id, start_offset, start_offset, path_offset});
  return static_cast<uint32_t>(sources_.size() - 1);
}

void BatchBuilder::ExtendSource(uint32_t source, uint64_t end_offset) {
  assert(source < sources_.size());
  assert(end_offset >= sources_[source].end_offset);
  sources_[source].end_offset = end_offset;
}

flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Label>>> BatchBuilder::CreateLabels(
    std::span<const LabelRef> labels) {
  label_scratch_.clear();
  for (const LabelRef& label : labels) {
    const auto name = fbb_.CreateString(label.name.data(), label.name.size());
    const auto value = fbb_.CreateString(label.value.data(), label.value.size());
    label_scratch_.push_back(fb::CreateLabel(fbb_, name, value));
  }
  return fbb_.CreateVector(label_scratch_);
}

uint32_t BatchBuilder::AddStream(std::span<const LabelRef> labels) {
  assert(!finished_);
  for (size_t i = 1; i < labels.size(); ++i) {
    assert(labels[i - 1].name < labels[i].name && "stream labels must be sorted and unique");
  }
  if (stream_count_ == streams_.size()) streams_.emplace_back();
  StreamState& stream = streams_[stream_count_];
  stream.labels = CreateLabels(labels);
  stream.entries.clear();
  return static_cast<uint32_t>(stream_count_++);
}

void BatchBuilder::AddEntry(uint32_t stream, int64_t timestamp_ns, std::span<const uint8_t> line,
                            uint32_t source, uint64_t end_offset,
                            std::span<const LabelRef> metadata) {
  assert(!finished_);
  assert(stream < stream_count_);
  assert(source < sources_.size());
  assert(end_offset > sources_[source].end_offset);
  const auto line_offset = fbb_.CreateVector(line.data(), line.size());
  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Label>>> metadata_offset;
  if (!metadata.empty()) metadata_offset = CreateLabels(metadata);
  streams_[stream].entries.push_back(
      fb::CreateEntry(fbb_, timestamp_ns, line_offset, metadata_offset, source, end_offset));
  sources_[source].end_offset = end_offset;
  ++entry_count_;
}

std::span<const uint8_t> BatchBuilder::Finish() {
  assert(batch_id_ != 0 && "Reset(batch_id) must be called before building a batch");
  if (!finished_) {
    stream_scratch_.clear();
    for (size_t i = 0; i < stream_count_; ++i) {
      const auto entries = fbb_.CreateVector(streams_[i].entries);
      stream_scratch_.push_back(fb::CreateStream(fbb_, streams_[i].labels, entries));
    }
    const auto streams = fbb_.CreateVector(stream_scratch_);
    source_scratch_.clear();
    for (const SourceState& s : sources_) {
      source_scratch_.push_back(
          fb::CreateSourceRange(fbb_, s.source_id, s.start_offset, s.end_offset, s.path));
    }
    const auto sources = fbb_.CreateVector(source_scratch_);
    fbb_.Finish(fb::CreateBatch(fbb_, batch_id_, streams, sources));
    finished_ = true;
  }
  return std::span<const uint8_t>(fbb_.GetBufferPointer(), fbb_.GetSize());
}

size_t BatchBuilder::EstimatedSize() const {
  if (finished_) return fbb_.GetSize();
  return fbb_.GetSize() + entry_count_ * kFinishBytesPerEntry +
         stream_count_ * kFinishBytesPerStream + sources_.size() * kFinishBytesPerSource +
         kFinishBytesPerBatch;
}

}  // namespace silt::protocol
