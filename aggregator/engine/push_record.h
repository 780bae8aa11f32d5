// The WAL payload of a push (record type kPushRecordType): one tenant's streams and entries that
// the engine accepted, plus the agent source ranges they cover. It is what recovery replays into
// the head and the high-water marks, so it carries everything needed to rebuild both. Format
// (docs/formats/wal.md, "Push records"), varints are LEB128, str = varint length + bytes:
//
//   u8 version (1)  str tenant  str agent_id
//   varint n_sources, n x { u64 source_id (LE), varint start, varint end }
//   varint n_streams, n x { varint n_labels, n x { str name, str value }   (sorted, unique)
//                           varint n_entries, n x { i64 timestamp (LE), str line,
//                                                   varint n_metadata, n x { str name, str value } } }
//
// Per-entry source offsets are not stored: after the record is durable only the ranges matter.
// Thread-safety: stateless functions; a DecodedPush is used by one thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "shared/status/result.h"

namespace silt::engine {

inline constexpr uint8_t kPushRecordType = 1;
inline constexpr uint8_t kPushRecordVersion = 1;

// Appends the payload for `request` to `out`. Labels are written as LabelSet holds them (sorted).
void EncodePushRecord(const PushRequest& request, std::string* out);
// Bytes EncodePushRecord will append (exact), to reserve once.
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
