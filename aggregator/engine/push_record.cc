#include "aggregator/engine/push_record.h"

#include <bit>
#include <cstring>
#include <string>

#include "aggregator/store/binary_coding.h"

namespace silt::engine {
namespace {

using store::ByteReader;

// VarintLength without a loop: 7 bits per byte.
size_t VarintSize(uint64_t value) {
  return (static_cast<size_t>(std::bit_width(value | 1)) + 6) / 7;
}

size_t StringSize(std::string_view s) { return VarintSize(s.size()) + s.size(); }

// Writers into a buffer sized by PushRecordSize (no bounds checks: the size is exact).
char* WriteVarint(uint64_t value, char* p) {
  while (value >= 0x80) {
    *p++ = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *p++ = static_cast<char>(value);
  return p;
}

char* WriteFixed64(uint64_t value, char* p) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((value >> (8 * i)) & 0xFF);
  return p + 8;
}

char* WriteBytes(std::string_view s, char* p) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

char* WriteString(std::string_view s, char* p) { return WriteBytes(s, WriteVarint(s.size(), p)); }

// Writes `s` as a str and returns where its bytes start (relative to `base`) in *offset.
char* WriteStringAt(std::string_view s, const char* base, char* p, uint32_t* offset) {
  p = WriteVarint(s.size(), p);
  *offset = static_cast<uint32_t>(p - base);
  return WriteBytes(s, p);
}

char* WriteHeader(const PushRequest& request, char* p) {
  *p++ = static_cast<char>(kPushRecordVersion);
  p = WriteString(request.tenant, p);
  p = WriteString(request.agent_id, p);
  p = WriteVarint(request.sources.size(), p);
  for (const SourceRange& source : request.sources) {
    p = WriteFixed64(source.source_id, p);
    p = WriteVarint(source.start, p);
    p = WriteVarint(source.end, p);
  }
  return WriteVarint(request.streams.size(), p);
}

char* WriteStreamLabels(const PushStream& stream, char* p) {
  p = WriteVarint(stream.labels.size(), p);
  for (labels::LabelView label : stream.labels) {
    p = WriteString(label.name, p);
    p = WriteString(label.value, p);
  }
  return WriteVarint(stream.entries.size(), p);
}

// The entries of `stream`, recording their places in `layout`.
char* WriteEntries(const PushStream& stream, const char* base, char* p, PushLayout* layout) {
  for (const PushEntry& entry : stream.entries) {
    EncodedEntry& encoded = layout->entries.emplace_back();
    encoded.timestamp = entry.timestamp;
    encoded.line_size = static_cast<uint32_t>(entry.line.size());
    encoded.first_pair = static_cast<uint32_t>(layout->pairs.size());
    encoded.pair_count = static_cast<uint32_t>(entry.metadata.size());
    p = WriteFixed64(static_cast<uint64_t>(entry.timestamp), p);
    p = WriteStringAt(entry.line, base, p, &encoded.line_offset);
    p = WriteVarint(entry.metadata.size(), p);
    for (const labels::LabelView& pair : entry.metadata) {
      EncodedPair& out = layout->pairs.emplace_back();
      out.name_size = static_cast<uint32_t>(pair.name.size());
      out.value_size = static_cast<uint32_t>(pair.value.size());
      p = WriteStringAt(pair.name, base, p, &out.name_offset);
      p = WriteStringAt(pair.value, base, p, &out.value_offset);
    }
  }
  return p;
}

// The entries of `stream` without a layout.
char* WriteEntries(const PushStream& stream, char* p) {
  for (const PushEntry& entry : stream.entries) {
    p = WriteFixed64(static_cast<uint64_t>(entry.timestamp), p);
    p = WriteString(entry.line, p);
    p = WriteVarint(entry.metadata.size(), p);
    for (const labels::LabelView& pair : entry.metadata) {
      p = WriteString(pair.name, p);
      p = WriteString(pair.value, p);
    }
  }
  return p;
}

Status Bad(const ByteReader& reader, std::string_view what) {
  return Status::Corruption("push record: " + std::string(what) + " at byte " +
                            std::to_string(reader.offset()));
}

Status ReadPairs(ByteReader& reader, std::string_view what, std::vector<labels::LabelView>* out) {
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
                VarintSize(request.sources.size()) + VarintSize(request.streams.size());
  for (const SourceRange& source : request.sources) {
    size += 8 + VarintSize(source.start) + VarintSize(source.end);
  }
  for (const PushStream& stream : request.streams) {
    size += VarintSize(stream.labels.size());
    for (labels::LabelView label : stream.labels) {
      size += StringSize(label.name) + StringSize(label.value);
    }
    size += VarintSize(stream.entries.size());
    for (const PushEntry& entry : stream.entries) {
      size += 8 + StringSize(entry.line) + VarintSize(entry.metadata.size());
      for (const labels::LabelView& pair : entry.metadata) {
        size += StringSize(pair.name) + StringSize(pair.value);
      }
    }
  }
  return size;
}

void EncodePushRecord(const PushRequest& request, std::string* out) {
  const size_t offset = out->size();
  const size_t size = PushRecordSize(request);
  out->resize(offset + size);
  EncodePushRecord(request, std::span<char>(out->data() + offset, size));
}

size_t EncodePushRecord(const PushRequest& request, std::span<char> out, PushLayout* layout) {
  char* p = WriteHeader(request, out.data());
  if (layout == nullptr) {
    for (const PushStream& stream : request.streams)
      p = WriteEntries(stream, WriteStreamLabels(stream, p));
    return static_cast<size_t>(p - out.data());
  }
  layout->streams.clear();
  layout->entries.clear();
  layout->pairs.clear();
  layout->streams.reserve(request.streams.size());
  layout->entries.reserve(request.EntryCount());
  for (const PushStream& stream : request.streams) {
    layout->streams.push_back(
        EncodedStream{stream.labels, layout->entries.size(), stream.entries.size()});
    p = WriteEntries(stream, out.data(), WriteStreamLabels(stream, p), layout);
  }
  return static_cast<size_t>(p - out.data());
}

std::span<const labels::LabelView> PushLayout::ResolvePairs(
    std::string_view payload, const EncodedEntry& entry,
    std::vector<labels::LabelView>* metadata) const {
  if (entry.pair_count == 0) return {};
  const size_t first = metadata->size();
  for (uint32_t j = 0; j < entry.pair_count; ++j) {
    const EncodedPair& pair = pairs[entry.first_pair + j];
    metadata->push_back(
        labels::LabelView{std::string_view(payload.data() + pair.name_offset, pair.name_size),
                          std::string_view(payload.data() + pair.value_offset, pair.value_size)});
  }
  return std::span<const labels::LabelView>(metadata->data() + first, entry.pair_count);
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
    if (!labels.ok())
      return Bad(reader, "stream labels: " + std::string(labels.status().message()));
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
      entry.metadata =
          std::span<const labels::LabelView>(out->metadata_storage.data() + first, count);
    }
  }
  return Status::Ok();
}

}  // namespace silt::engine
