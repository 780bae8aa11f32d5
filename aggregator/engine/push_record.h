// The WAL payload of a push (record type kPushRecordType): one tenant's streams and entries that
// the engine accepted, plus the agent source ranges they cover. It is what recovery replays into
// the head and the high-water marks, so it carries everything needed to rebuild both. Format
// (docs/formats/wal.md, "Push records"), varints are LEB128, str = varint length + bytes:
//
//   u8 version (1)  str tenant  str agent_id
//   varint n_sources, n x { u64 source_id (LE), varint start, varint end }
//   varint n_streams, n x { varint n_labels, n x { str name, str value }   (sorted, unique)
//                           varint n_entries, n x { i64 timestamp (LE), str line,
//                                                   varint n_metadata, n x { str name, str value }
//                                                   } }
//
// Per-entry source offsets are not stored: after the record is durable only the ranges matter.
// Thread-safety: stateless functions; a DecodedPush or PushLayout is used by one thread at a time.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "shared/status/result.h"

namespace silt::engine {

inline constexpr uint8_t kPushRecordType = 1;
inline constexpr uint8_t kPushRecordVersion = 1;

// Where EncodePushRecord put a record's entries: offsets into the payload, so that the record
// can be applied from the payload's bytes without decoding it (PushLayout::Resolve).
struct EncodedPair {
  uint32_t name_offset = 0;
  uint32_t name_size = 0;
  uint32_t value_offset = 0;
  uint32_t value_size = 0;
};
struct EncodedEntry {
  int64_t timestamp = 0;
  uint32_t line_offset = 0;
  uint32_t line_size = 0;
  uint32_t first_pair = 0;  // index into PushLayout::pairs
  uint32_t pair_count = 0;
};
struct EncodedStream {
  labels::LabelSet labels;  // the set whose labels were encoded (shared, not copied)
  size_t first_entry = 0;   // index into PushLayout::entries
  size_t entry_count = 0;
};
struct PushLayout {
  std::vector<EncodedStream> streams;
  std::vector<EncodedEntry> entries;
  std::vector<EncodedPair> pairs;

  // The views of the entries of `stream` in `payload` (the bytes EncodePushRecord wrote, wherever
  // they are now) into `out`, their metadata views into `metadata` (both cleared first; the
  // views live as long as `payload`'s bytes and `metadata`'s content). `Entry` is any type with
  // `timestamp`, `line` and `metadata` members (PushEntry, store::HeadEntry).
  template <typename Entry>
  void Resolve(std::string_view payload, const EncodedStream& stream,
               std::vector<labels::LabelView>* metadata, std::vector<Entry>* out) const {
    out->clear();
    metadata->clear();
    const size_t end = stream.first_entry + stream.entry_count;
    size_t pair_count = 0;
    for (size_t i = stream.first_entry; i < end; ++i) pair_count += entries[i].pair_count;
    metadata->reserve(pair_count);  // no reallocation below: the spans stay valid
    out->resize(stream.entry_count);
    for (size_t i = 0; i < stream.entry_count; ++i) {
      const EncodedEntry& entry = entries[stream.first_entry + i];
      Entry& resolved = (*out)[i];
      resolved.timestamp = entry.timestamp;
      resolved.line = std::string_view(payload.data() + entry.line_offset, entry.line_size);
      resolved.metadata = ResolvePairs(payload, entry, metadata);
    }
  }

 private:
  // Appends the metadata views of `entry` to `metadata` (which has room) and returns them.
  std::span<const labels::LabelView> ResolvePairs(std::string_view payload,
                                                  const EncodedEntry& entry,
                                                  std::vector<labels::LabelView>* metadata) const;
};

// Appends the payload for `request` to `out`. Labels are written as LabelSet holds them (sorted).
void EncodePushRecord(const PushRequest& request, std::string* out);
// Writes the payload for `request` into `out`, which must hold exactly PushRecordSize(request)
// bytes, and returns the bytes written (out.size()). With `layout`, also records there where
// each stream's entries lie (previous content replaced).
size_t EncodePushRecord(const PushRequest& request, std::span<char> out,
                        PushLayout* layout = nullptr);
// Bytes EncodePushRecord will write (exact).
size_t PushRecordSize(const PushRequest& request);

// A decoded payload. Views point into the payload passed to DecodePushRecord and into
// `metadata_storage`, so it must not outlive the payload and must not be copied (moving is fine).
struct DecodedPush {
  PushRequest request;  // entries have source = kNoSource
  std::vector<labels::LabelView> metadata_storage;
};

// Decodes `payload` into `out` (reusing its capacity). Corruption saying what is wrong and at
// which byte offset when the payload is truncated, has trailing bytes, an unknown version, or
// labels that are unsorted, duplicated or empty.
Status DecodePushRecord(std::string_view payload, DecodedPush* out);

}  // namespace silt::engine
