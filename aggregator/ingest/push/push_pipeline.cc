// The push listener's pipeline over a decoded push (push_pipeline.h).
#include "aggregator/ingest/push/push_pipeline.h"

#include <deque>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace silt::ingest {
namespace {

// The decoder's bytes plus the copies of what the pipeline changed. std::deque never moves its
// elements when it grows, so views into them stay valid.
struct PipelineStorage {
  std::shared_ptr<void> decoded;
  std::deque<std::string> strings;

  std::string_view Keep(std::string_view text) { return strings.emplace_back(text); }
};

// True when `metadata` holds exactly `input`, in order.
bool SameMetadata(const FieldList& metadata, std::span<const labels::LabelView> input) {
  if (metadata.size() != input.size()) return false;
  const Field* field = metadata.begin();
  for (const labels::LabelView& pair : input) {
    if (field->name != pair.name || field->value != pair.value) return false;
    ++field;
  }
  return true;
}

// Builds the output streams of one push.
class Regrouper {
 public:
  Regrouper(DecodedPush* push, PipelineStorage* storage) : push_(push), storage_(storage) {}

  // The entry `input` of `stream` after the pipeline ran on `entry`, stored under `labels`.
  void Add(const DecodedStream& stream, const DecodedEntry& input, const PipelineEntry& entry,
           labels::LabelSet labels) {
    DecodedEntry output = input;
    output.timestamp = entry.timestamp;
    if (entry.line().data() != input.line.data() || entry.line().size() != input.line.size()) {
      output.line = storage_->Keep(entry.line());
    }
    if (!SameMetadata(entry.metadata, push_->MetadataOf(input))) {
      output.metadata_begin = static_cast<uint32_t>(push_->metadata.size());
      output.metadata_count = static_cast<uint32_t>(entry.metadata.size());
      for (const Field& field : entry.metadata) {
        push_->metadata.push_back({storage_->Keep(field.name), storage_->Keep(field.value)});
      }
    }
    StreamFor(std::move(labels), stream).entries.push_back(output);
  }

  void AddRefused(DecodedStream stream) { streams_.push_back(std::move(stream)); }

  std::vector<DecodedStream> Take() { return std::move(streams_); }

 private:
  DecodedStream& StreamFor(labels::LabelSet labels, const DecodedStream& input) {
    auto [it, inserted] = index_.try_emplace(labels, streams_.size());
    if (inserted) {
      DecodedStream& out = streams_.emplace_back();
      out.labels = std::move(labels);
      out.had_problem = input.had_problem;
      out.where = input.where;
    }
    return streams_[it->second];
  }

  DecodedPush* push_;
  PipelineStorage* storage_;
  std::vector<DecodedStream> streams_;
  std::unordered_map<labels::LabelSet, size_t> index_;
};

}  // namespace

void ApplyPushPipeline(const ListenerPipeline& pipeline, DecodedPush* push) {
  auto storage = std::make_shared<PipelineStorage>();
  storage->decoded = std::move(push->storage);
  Regrouper regrouper(push, storage.get());
  PipelineEntry& entry = ListenerPipeline::ThreadEntry();
  for (DecodedStream& stream : push->streams) {
    if (stream.refused) {
      regrouper.AddRefused(std::move(stream));
      continue;
    }
    for (const DecodedEntry& input : stream.entries) {
      entry.Reset(stream.labels, input.timestamp, input.line, push->MetadataOf(input));
      labels::LabelSet labels;
      if (!pipeline.Apply(entry, &labels)) continue;
      regrouper.Add(stream, input, entry, std::move(labels));
    }
  }
  push->streams = regrouper.Take();
  push->storage = std::move(storage);
}

}  // namespace silt::ingest
