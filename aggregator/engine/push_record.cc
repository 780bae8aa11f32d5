#include "aggregator/engine/push_record.h"

#include <string>

#include "aggregator/store/binary_coding.h"

namespace silt::engine {
namespace {

using store::ByteReader;
using store::PutFixed64;
using store::PutFixed8;
using store::PutVarint64;
using store::VarintLength;

void PutString(std::string_view s, std::string* out) {
  PutVarint64(s.size(), out);
  out->append(s);
}

size_t StringSize(std::string_view s) { return VarintLength(s.size()) + s.size(); }

Status Bad(const ByteReader& reader, std::string_view what) {
  return Status::Corruption("push record: " + std::string(what) + " at byte " +
                            std::to_string(reader.offset()));
}

Status ReadPairs(ByteReader& reader, std::string_view what,
                 std::vector<labels::LabelView>* out) {
  uint64_t count;
  if (!reader.ReadVarint64(&count) || count > reader.remaining() / 2) {
    return Bad(reader, std::string(what) + " count truncated or too large");
  }
  for (uint64_t i = 0; i < count; ++i) {
    labels::LabelView pair;
    if (!reader.ReadLengthPrefixed(&pair.name) || !reader.ReadLengthPrefixed(&pair.value)) {
      return Bad(reader, std::string(what) + " " + std::to_string(i) + " truncated");
    }
    out->push_back(pair);
  }
  return Status::Ok();
}

Status ReadSources(ByteReader& reader, std::vector<SourceRange>* sources) {
  uint64_t count;
  if (!reader.ReadVarint64(&count) || count > reader.remaining() / 10) {
    return Bad(reader, "source count truncated or too large");
  }
  sources->resize(count);
  for (SourceRange& source : *sources) {
    if (!reader.ReadFixed(8, &source.source_id) || !reader.ReadVarint64(&source.start) ||
        !reader.ReadVarint64(&source.end)) {
      return Bad(reader, "source range truncated");
    }
    if (source.end < source.start) return Bad(reader, "source range ends before it starts");
  }
  return Status::Ok();
}

// Entries of one stream; metadata spans are fixed up by the caller once storage stops growing,
// so here each entry's span holds {nullptr + first index, count}.
Status ReadEntries(ByteReader& reader, DecodedPush* out, std::vector<PushEntry>* entries,
                   std::vector<std::pair<size_t, size_t>>* metadata_ranges) {
  uint64_t count;
  if (!reader.ReadVarint64(&count) || count > reader.remaining() / 10) {
    return Bad(reader, "entry count truncated or too large");
  }
  entries->resize(count);
  for (PushEntry& entry : *entries) {
    uint64_t timestamp;
    if (!reader.ReadFixed(8, &timestamp) || !reader.ReadLengthPrefixed(&entry.line)) {
      return Bad(reader, "entry truncated");
    }
    entry.timestamp = static_cast<int64_t>(timestamp);
    size_t first = out->metadata_storage.size();
    SILT_RETURN_IF_ERROR(ReadPairs(reader, "metadata", &out->metadata_storage));
    metadata_ranges->emplace_back(first, out->metadata_storage.size() - first);
  }
  return Status::Ok();
}

}  // namespace

size_t PushRecordSize(const PushRequest& request) {
  size_t size = 1 + StringSize(request.tenant) + StringSize(request.agent_id) +
                VarintLength(request.sources.size()) + VarintLength(request.streams.size());
  for (const SourceRange& source : request.sources) {
    size += 8 + VarintLength(source.start) + VarintLength(source.end);
  }
  for (const PushStream& stream : request.streams) {
    size += VarintLength(stream.labels.size());
    for (labels::LabelView label : stream.labels) {
      size += StringSize(label.name) + StringSize(label.value);
    }
    size += VarintLength(stream.entries.size());
    for (const PushEntry& entry : stream.entries) {
      size += 8 + StringSize(entry.line) + VarintLength(entry.metadata.size());
      for (const labels::LabelView& pair : entry.metadata) {
        size += StringSize(pair.name) + StringSize(pair.value);
      }
    }
  }
  return size;
}

void EncodePushRecord(const PushRequest& request, std::string* out) {
  out->reserve(out->size() + PushRecordSize(request));
  PutFixed8(kPushRecordVersion, out);
  PutString(request.tenant, out);
  PutString(request.agent_id, out);
  PutVarint64(request.sources.size(), out);
  for (const SourceRange& source : request.sources) {
    PutFixed64(source.source_id, out);
    PutVarint64(source.start, out);
    PutVarint64(source.end, out);
  }
  PutVarint64(request.streams.size(), out);
  for (const PushStream& stream : request.streams) {
    PutVarint64(stream.labels.size(), out);
    for (labels::LabelView label : stream.labels) {
      PutString(label.name, out);
      PutString(label.value, out);
    }
    PutVarint64(stream.entries.size(), out);
    for (const PushEntry& entry : stream.entries) {
      PutFixed64(static_cast<uint64_t>(entry.timestamp), out);
      PutString(entry.line, out);
      PutVarint64(entry.metadata.size(), out);
      for (const labels::LabelView& pair : entry.metadata) {
        PutString(pair.name, out);
        PutString(pair.value, out);
      }
    }
  }
}

Status DecodePushRecord(std::string_view payload, DecodedPush* out) {
  PushRequest& request = out->request;
  out->metadata_storage.clear();
  request.streams.clear();
  ByteReader reader(payload);
  uint64_t version;
  if (!reader.ReadFixed(1, &version)) return Bad(reader, "empty payload");
  if (version != kPushRecordVersion) {
    return Bad(reader, "unknown version " + std::to_string(version) + " (this build reads " +
                           std::to_string(kPushRecordVersion) + ")");
  }
  std::string_view tenant, agent_id;
  if (!reader.ReadLengthPrefixed(&tenant) || !reader.ReadLengthPrefixed(&agent_id)) {
    return Bad(reader, "tenant or agent id truncated");
  }
  request.tenant.assign(tenant);
  request.agent_id.assign(agent_id);
  SILT_RETURN_IF_ERROR(ReadSources(reader, &request.sources));

  uint64_t stream_count;
  if (!reader.ReadVarint64(&stream_count) || stream_count > reader.remaining() / 2) {
    return Bad(reader, "stream count truncated or too large");
  }
  request.streams.resize(stream_count);
  std::vector<std::pair<size_t, size_t>> metadata_ranges;
  std::vector<labels::LabelView> label_views;
  for (PushStream& stream : request.streams) {
    label_views.clear();
    SILT_RETURN_IF_ERROR(ReadPairs(reader, "label", &label_views));
    auto labels = labels::LabelSet::FromSorted(label_views);
    if (!labels.ok()) return Bad(reader, "stream labels: " + std::string(labels.status().message()));
    if (labels->size() != label_views.size() || labels->empty()) {
      return Bad(reader, "stream labels empty or with empty values");
    }
    stream.labels = std::move(*labels);
    SILT_RETURN_IF_ERROR(ReadEntries(reader, out, &stream.entries, &metadata_ranges));
  }
  if (!reader.empty()) {
    return Bad(reader, std::to_string(reader.remaining()) + " trailing bytes");
  }
  size_t next = 0;
  for (PushStream& stream : request.streams) {
    for (PushEntry& entry : stream.entries) {
      auto [first, count] = metadata_ranges[next++];
      entry.metadata = std::span<const labels::LabelView>(out->metadata_storage.data() + first,
                                                          count);
    }
  }
  return Status::Ok();
}

}  // namespace silt::engine
