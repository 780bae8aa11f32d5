// DecodedPush: one push body after decoding (Loki JSON, Loki protobuf or simple JSON) and before
// validation: streams of entries whose lines and structured metadata are views into bytes the
// DecodedPush itself keeps alive (`storage`: the simdjson parser's string buffer, the protobuf
// arena...), so decoding copies each line at most once. Entries the decoder could not read are
// already in `rejections`; PushValidator then applies the limits and builds the engine's
// PushRequest from the rest.
// Thread-safety: a value used by one thread at a time (it may move between threads).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/ingest/push/rejections.h"
#include "shared/labels/label_set.h"

namespace silt::ingest {

struct DecodedEntry {
  int64_t timestamp = 0;  // ns since the Unix epoch
  std::string_view line;
  // The entry's structured metadata: DecodedPush::metadata[metadata_begin, +metadata_count).
  uint32_t metadata_begin = 0;
  uint32_t metadata_count = 0;
};

struct DecodedStream {
  labels::LabelSet labels;
  // True when the stream could not be read as a whole (unparsable label text, no "stream"
  // object...): the decoder has already recorded it in `rejections`, with its entries, and the
  // validator skips it.
  bool refused = false;
  // True when the decoder refused the stream or any of its entries (`silt-aggregator ingest`
  // skips such streams whole).
  bool had_problem = false;
  // The stream's position for messages: "streams[3]" (JSON adds its line and column).
  std::string where;
  std::vector<DecodedEntry> entries;
};

struct DecodedPush {
  std::vector<DecodedStream> streams;
  std::vector<labels::LabelView> metadata;
  Rejections rejections;
  // Every entry seen, refused ones included (the M of "N of M entries rejected").
  size_t total_entries = 0;
  // Owns the bytes the views above point into.
  std::shared_ptr<void> storage;

  std::span<const labels::LabelView> MetadataOf(const DecodedEntry& entry) const {
    return std::span<const labels::LabelView>(metadata).subspan(entry.metadata_begin,
                                                                entry.metadata_count);
  }
};

// Ends every decoder: counts the entries that were seen but are neither in a stream nor refused
// (those of a stream a syntax error cut short) as refused invalid_entry, so that every entry seen
// is either decoded or counted in `rejections`, and hands `push` the `storage` its views point
// into. Returns the finished push.
DecodedPush FinishDecode(DecodedPush push, std::shared_ptr<void> storage);

}  // namespace silt::ingest
