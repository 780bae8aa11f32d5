// OutgoingBatch: one Batch frame's worth of tailed lines as the shipper keeps it until the
// aggregator acks it: the tailer's chunks (lines plus the byte range of the file they cover),
// each with its stream labels and the timestamp of its first line. Line i of a chunk is stamped
// timestamp_ns + i: the wall time the chunk was handed to the shipper, one nanosecond apart per
// line, so identical lines written together stay distinct entries (the aggregator drops an entry
// whose timestamp and line both repeat one it holds, as Loki does), their order survives, and a
// resend carries the same timestamps. The frame is built from the chunks each time the
// batch is sent (BatchBuilder + FrameEncoder), so a resend after a reconnect or a Nack has the
// same content and id, and a batch refused as too large can be split in two.
//
// Thread-safety: a value type.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/tailer/batch.h"
#include "protocol/batch_builder.h"
#include "protocol/frame_encoder.h"
#include "shared/labels/label_set.h"
#include "shared/status/status.h"

namespace silt::agent {

struct LabeledChunk {
  SourceChunk chunk;
  labels::LabelSet labels;
  int64_t timestamp_ns = 0;  // of the first line; line i has timestamp_ns + i
};

// Splits `chunk` after its first `keep` lines (0 < keep < lines): the first part's range ends
// where the second part's begins, and every line keeps its timestamp.
std::pair<LabeledChunk, LabeledChunk> SplitChunk(const LabeledChunk& chunk, size_t keep);

class OutgoingBatch {
 public:
  // Estimated encoded bytes per entry beyond its text (FlatBuffers tables, offsets).
  static constexpr size_t kEntryOverhead = 32;

  explicit OutgoingBatch(uint64_t id = 0) : id_(id) {}

  uint64_t id() const { return id_; }
  void set_id(uint64_t id) { id_ = id; }

  void Add(LabeledChunk chunk);
  bool empty() const { return chunks_.empty(); }
  size_t entries() const { return entries_; }
  // Line bytes plus kEntryOverhead per entry: about the uncompressed payload size.
  size_t bytes() const { return bytes_; }
  const std::vector<LabeledChunk>& chunks() const { return chunks_; }
  // The source ids the batch covers.
  const std::set<uint64_t>& sources() const { return sources_; }

  // Appends the batch as one Batch frame to *out, using `builder` (reset here). Status of
  // FrameEncoder::Encode: ResourceExhausted when the frame exceeds the peer's limits.
  Status Encode(protocol::BatchBuilder* builder, const protocol::FrameEncoder& encoder,
                std::vector<uint8_t>* out) const;

  // Splits the batch into two of about half the entries each (ranges stay contiguous: the
  // first part of a chunk ends where the second begins). The second part gets id 0 (the caller
  // assigns one). Precondition: entries() >= 2.
  std::pair<OutgoingBatch, OutgoingBatch> Split() const;

  // Confirms every chunk's range [start_offset, end_offset) on `positions`.
  void Confirm(PositionsStore* positions) const;

 private:
  uint64_t id_;
  std::vector<LabeledChunk> chunks_;
  std::set<uint64_t> sources_;
  size_t entries_ = 0;
  size_t bytes_ = 0;
};

}  // namespace silt::agent
