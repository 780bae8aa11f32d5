#include "aggregator/server/source_order.h"

namespace silt::server {

std::vector<SourceOrder::Range> SourceOrder::RangesOf(const protocol::fb::Batch& batch) {
  std::vector<Range> ranges;
  if (batch.sources() == nullptr) return ranges;
  ranges.reserve(batch.sources()->size());
  for (const protocol::fb::SourceRange* source : *batch.sources()) {
    if (source == nullptr) continue;
    ranges.push_back(Range{source->source_id(), source->start_offset(), source->end_offset()});
  }
  return ranges;
}

size_t SourceOrder::EntriesOf(const protocol::fb::Batch& batch) {
  size_t n = 0;
  if (batch.streams() == nullptr) return n;
  for (const protocol::fb::Stream* stream : *batch.streams()) {
    if (stream != nullptr && stream->entries() != nullptr) n += stream->entries()->size();
  }
  return n;
}

std::optional<SourceOrder::Blocked> SourceOrder::Check(std::span<const Range> ranges) const {
  for (const Range& range : ranges) {
    auto it = resume_at_.find(range.source_id);
    if (it != resume_at_.end() && range.start > it->second) {
      return Blocked{range.source_id, range.start, it->second};
    }
  }
  return std::nullopt;
}

void SourceOrder::Refused(std::span<const Range> ranges, bool dropped_for_good) {
  for (const Range& range : ranges) {
    const uint64_t resume_at = dropped_for_good ? range.end : range.start;
    auto [it, added] = resume_at_.try_emplace(range.source_id, resume_at);
    if (!added && range.start <= it->second) it->second = resume_at;
  }
}

void SourceOrder::Taken(std::span<const Range> ranges) {
  for (const Range& range : ranges) {
    auto it = resume_at_.find(range.source_id);
    if (it != resume_at_.end() && range.start <= it->second) resume_at_.erase(it);
  }
}

}  // namespace silt::server
