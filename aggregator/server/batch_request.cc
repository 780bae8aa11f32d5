#include "aggregator/server/batch_request.h"

#include <set>
#include <string_view>

namespace silt::server {
namespace {

std::string_view View(const flatbuffers::String* s) {
  return s == nullptr ? std::string_view() : std::string_view(s->data(), s->size());
}

size_t CountMetadata(const protocol::fb::Batch& batch) {
  size_t n = 0;
  if (batch.streams() == nullptr) return 0;
  for (const protocol::fb::Stream* stream : *batch.streams()) {
    if (stream == nullptr || stream->entries() == nullptr) continue;
    for (const protocol::fb::Entry* entry : *stream->entries()) {
      if (entry != nullptr && entry->structured_metadata() != nullptr) {
        n += entry->structured_metadata()->size();
      }
    }
  }
  return n;
}

}  // namespace

Status BatchRequest::Build(const protocol::fb::Batch& batch, const std::string& tenant,
                           const std::string& agent_id, const BatchLimits& limits) {
  batch_id_ = batch.batch_id();
  if (batch_id_ == 0) {
    return Status::InvalidArgument("batch has batch_id 0; batch ids start at 1");
  }
  request_.tenant = tenant;
  request_.agent_id = agent_id;
  SILT_RETURN_IF_ERROR(BuildSources(batch));
  metadata_.reserve(CountMetadata(batch));
  if (batch.streams() == nullptr) return Status::Ok();
  request_.streams.reserve(batch.streams()->size());
  for (size_t i = 0; i < batch.streams()->size(); ++i) {
    const protocol::fb::Stream* stream = batch.streams()->Get(static_cast<flatbuffers::uoffset_t>(i));
    if (stream == nullptr) continue;
    SILT_RETURN_IF_ERROR(BuildStream(*stream, i, limits));
  }
  return Status::Ok();
}

Status BatchRequest::BuildSources(const protocol::fb::Batch& batch) {
  if (batch.sources() == nullptr) return Status::Ok();
  std::set<uint64_t> seen;
  for (const protocol::fb::SourceRange* source : *batch.sources()) {
    if (source == nullptr) continue;
    const std::string where = "batch " + std::to_string(batch_id_) + " source " +
                              std::to_string(request_.sources.size());
    if (source->source_id() == 0) {
      return Status::InvalidArgument(where + " has source_id 0; source ids are never 0");
    }
    if (source->end_offset() < source->start_offset()) {
      return Status::InvalidArgument(where + " ends (" + std::to_string(source->end_offset()) +
                                     ") before it starts (" +
                                     std::to_string(source->start_offset()) + ")");
    }
    if (!seen.insert(source->source_id()).second) {
      return Status::InvalidArgument(where + " repeats source_id " +
                                     std::to_string(source->source_id()));
    }
    request_.sources.push_back(
        engine::SourceRange{source->source_id(), source->start_offset(), source->end_offset()});
  }
  return Status::Ok();
}

Status BatchRequest::BuildStream(const protocol::fb::Stream& stream, size_t index,
                                 const BatchLimits& limits) {
  const std::string where =
      "batch " + std::to_string(batch_id_) + " stream " + std::to_string(index);
  label_scratch_.clear();
  if (stream.labels() != nullptr) {
    for (const protocol::fb::Label* label : *stream.labels()) {
      if (label == nullptr) continue;
      label_scratch_.push_back(labels::LabelView{View(label->name()), View(label->value())});
    }
  }
  Result<labels::LabelSet> set = labels::LabelSet::FromSorted(label_scratch_);
  if (!set.ok()) return set.status().WithContext(where);
  SILT_RETURN_IF_ERROR(labels::ValidateLabelSet(*set, limits.label_limits).WithContext(where));
  engine::PushStream& out = request_.streams.emplace_back();
  out.labels = std::move(*set);
  if (stream.entries() == nullptr) return Status::Ok();
  out.entries.reserve(stream.entries()->size());
  for (const protocol::fb::Entry* entry : *stream.entries()) {
    if (entry == nullptr) continue;
    SILT_RETURN_IF_ERROR(BuildEntry(*entry, out.labels, limits, &out.entries.emplace_back()));
    ++entries_;
  }
  return Status::Ok();
}

Status BatchRequest::BuildEntry(const protocol::fb::Entry& entry, const labels::LabelSet& labels,
                                const BatchLimits& limits, engine::PushEntry* out) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument("batch " + std::to_string(batch_id_) + " stream " +
                                   labels.ToString() + " entry at " +
                                   std::to_string(entry.timestamp_ns()) + ": " + what);
  };
  out->timestamp = entry.timestamp_ns();
  if (entry.line() != nullptr) {
    out->line = std::string_view(reinterpret_cast<const char*>(entry.line()->data()),
                                 entry.line()->size());
  }
  if (limits.max_line_bytes != 0 && out->line.size() > limits.max_line_bytes) {
    out->line = out->line.substr(0, limits.max_line_bytes);
    ++lines_truncated_;
  }
  if (!request_.sources.empty()) {
    if (entry.source() >= request_.sources.size()) {
      return bad("refers to source " + std::to_string(entry.source()) + " but the batch has " +
                 std::to_string(request_.sources.size()));
    }
    const engine::SourceRange& range = request_.sources[entry.source()];
    if (entry.end_offset() <= range.start || entry.end_offset() > range.end) {
      return bad("end_offset " + std::to_string(entry.end_offset()) +
                 " is outside its source's range (" + std::to_string(range.start) + ", " +
                 std::to_string(range.end) + "]");
    }
    out->source = entry.source();
    out->end_offset = entry.end_offset();
  }
  if (entry.structured_metadata() == nullptr) return Status::Ok();
  const size_t first = metadata_.size();
  for (const protocol::fb::Label* pair : *entry.structured_metadata()) {
    if (pair == nullptr) continue;
    if (!labels::IsValidLabelName(View(pair->name()))) {
      return bad("structured metadata name '" + std::string(View(pair->name())) +
                 "' does not match [a-zA-Z_][a-zA-Z0-9_]*");
    }
    metadata_.push_back(labels::LabelView{View(pair->name()), View(pair->value())});
  }
  out->metadata = std::span<const labels::LabelView>(metadata_.data() + first,
                                                     metadata_.size() - first);
  return Status::Ok();
}

}  // namespace silt::server
