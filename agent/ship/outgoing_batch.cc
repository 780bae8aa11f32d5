#include "agent/ship/outgoing_batch.h"

#include <cassert>
#include <map>
#include <string>

namespace silt::agent {
namespace {

std::vector<protocol::LabelRef> Refs(const labels::LabelSet& set) {
  std::vector<protocol::LabelRef> refs;
  for (labels::LabelView label : set) refs.push_back({label.name, label.value});
  return refs;
}

}  // namespace

std::pair<LabeledChunk, LabeledChunk> SplitChunk(const LabeledChunk& chunk, size_t keep) {
  LabeledChunk first = chunk;
  LabeledChunk second = chunk;
  first.chunk.lines.resize(keep);
  second.chunk.lines.erase(second.chunk.lines.begin(),
                           second.chunk.lines.begin() + static_cast<std::ptrdiff_t>(keep));
  first.chunk.end_offset = first.chunk.lines.back().end_offset;
  second.chunk.start_offset = first.chunk.end_offset;
  second.timestamp_ns = chunk.timestamp_ns + static_cast<int64_t>(keep);
  return {std::move(first), std::move(second)};
}

void OutgoingBatch::Add(LabeledChunk chunk) {
  sources_.insert(chunk.chunk.source_id);
  entries_ += chunk.chunk.lines.size();
  for (const Line& line : chunk.chunk.lines) bytes_ += line.text.size() + kEntryOverhead;
  chunks_.push_back(std::move(chunk));
}

Status OutgoingBatch::Encode(protocol::BatchBuilder* builder,
                             const protocol::FrameEncoder& encoder,
                             std::vector<uint8_t>* out) const {
  builder->Reset(id_);
  std::map<uint64_t, uint32_t> source_index;
  std::map<std::string, uint32_t> stream_index;
  for (const LabeledChunk& labeled : chunks_) {
    const SourceChunk& chunk = labeled.chunk;
    auto [source, added] = source_index.try_emplace(chunk.source_id, 0);
    if (added) source->second = builder->AddSource(chunk.source_id, chunk.start_offset, chunk.path);
    const std::string key(labeled.labels.ToString());
    auto [stream, new_stream] = stream_index.try_emplace(key, 0);
    if (new_stream) {
      const std::vector<protocol::LabelRef> refs = Refs(labeled.labels);
      stream->second = builder->AddStream(refs);
    }
    int64_t timestamp_ns = labeled.timestamp_ns;
    for (const Line& line : chunk.lines) {
      builder->AddEntry(stream->second, timestamp_ns++, line.text, source->second,
                        line.end_offset);
    }
    if (chunk.end_offset > builder->source_end_offset(source->second)) {
      builder->ExtendSource(source->second, chunk.end_offset);
    }
  }
  return encoder.Encode(protocol::FrameType::kBatch, builder->Finish(), out);
}

std::pair<OutgoingBatch, OutgoingBatch> OutgoingBatch::Split() const {
  assert(entries_ >= 2);
  const size_t half = entries_ / 2;
  OutgoingBatch first(id_);
  OutgoingBatch second(0);
  size_t taken = 0;
  for (const LabeledChunk& chunk : chunks_) {
    const size_t lines = chunk.chunk.lines.size();
    if (taken >= half) {
      second.Add(chunk);
    } else if (taken + lines <= half) {
      first.Add(chunk);
    } else {
      auto [head, tail] = SplitChunk(chunk, half - taken);
      first.Add(std::move(head));
      second.Add(std::move(tail));
    }
    taken += lines;
  }
  return {std::move(first), std::move(second)};
}

void OutgoingBatch::Confirm(PositionsStore* positions) const {
  for (const LabeledChunk& labeled : chunks_) {
    positions->Confirm(labeled.chunk.source_id, labeled.chunk.start_offset,
                       labeled.chunk.end_offset);
  }
}

}  // namespace silt::agent
