// BatchBuilder assembles the FlatBuffers payload of one Batch frame (protocol/silt.fbs) as the
// agent's shipper reads lines: sources and streams are registered once, entries are appended in
// any interleaving of streams, and Finish() lays out the tables. One builder is meant to be
// reused for every batch of a connection: Reset() keeps all memory, so steady-state batching does
// no heap allocation beyond the FlatBuffers buffer growing to the largest batch seen.
//
// Thread-safety: none; one thread at a time.
#pragma once

#include <flatbuffers/flatbuffers.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "protocol/silt_generated.h"

namespace silt::protocol {

// A borrowed name/value pair; the strings only need to live for the call they are passed to.
struct LabelRef {
  std::string_view name;
  std::string_view value;
};

class BatchBuilder {
 public:
  // `initial_bytes` sizes the FlatBuffers buffer up front (it grows as needed).
  explicit BatchBuilder(size_t initial_bytes = 1 << 20);

  BatchBuilder(const BatchBuilder&) = delete;
  BatchBuilder& operator=(const BatchBuilder&) = delete;

  // Drops everything added so far (and any finished payload) and starts batch `batch_id`
  // (precondition: != 0). Keeps the memory for the next batch.
  void Reset(uint64_t batch_id);

  // Registers a source file that contributes to this batch and returns its index for AddEntry.
  // Its range starts at `start_offset` and ends there until entries or ExtendSource move it.
  // Precondition: source_id != 0 and not already added to this batch.
  uint32_t AddSource(uint64_t source_id, uint64_t start_offset, std::string_view path);

  // Moves a source's end offset to `end_offset` without an entry: for bytes the agent read and
  // deliberately dropped (filtered lines), so the ack still covers them. Precondition:
  // end_offset >= the source's current end.
  void ExtendSource(uint32_t source, uint64_t end_offset);

  // Registers a stream and returns its index for AddEntry. Precondition: labels sorted by name,
  // names unique, and the label set not already added to this batch.
  uint32_t AddStream(std::span<const LabelRef> labels);

  // Appends one entry to `stream`. `line` is copied (raw bytes, no trailing newline);
  // `end_offset` is the offset in `source` just past the entry's newline. Preconditions: valid
  // stream and source indexes; end_offset > the source's current end (entries of one source are
  // added in file order).
  void AddEntry(uint32_t stream, int64_t timestamp_ns, std::span<const uint8_t> line,
                uint32_t source, uint64_t end_offset, std::span<const LabelRef> metadata = {});
  void AddEntry(uint32_t stream, int64_t timestamp_ns, std::string_view line, uint32_t source,
                uint64_t end_offset, std::span<const LabelRef> metadata = {}) {
    AddEntry(stream, timestamp_ns,
             std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(line.data()), line.size()),
             source, end_offset, metadata);
  }

  // Lays out the Batch and returns its payload, ready for FrameEncoder::Encode(kBatch, ...).
  // The bytes stay valid until the next Reset() or the builder's destruction. Nothing may be
  // added after Finish() until Reset().
  std::span<const uint8_t> Finish();

  // Payload size so far plus an estimate of what Finish() will add; within a few percent of
  // the final size. Lets the shipper cut batches at a size target.
  size_t EstimatedSize() const;

  uint64_t batch_id() const { return batch_id_; }
  size_t entry_count() const { return entry_count_; }
  size_t stream_count() const { return stream_count_; }
  size_t source_count() const { return sources_.size(); }

  // The end offset a source has reached so far.
  uint64_t source_end_offset(uint32_t source) const { return sources_[source].end_offset; }

 private:
  struct StreamState {
    flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Label>>> labels;
    std::vector<flatbuffers::Offset<fb::Entry>> entries;
  };
  struct SourceState {
    uint64_t source_id;
    uint64_t start_offset;
    uint64_t end_offset;
    flatbuffers::Offset<flatbuffers::String> path;
  };

  flatbuffers::Offset<flatbuffers::Vector<flatbuffers::Offset<fb::Label>>> CreateLabels(
      std::span<const LabelRef> labels);

  flatbuffers::FlatBufferBuilder fbb_;
  uint64_t batch_id_ = 0;
  bool finished_ = false;
  size_t entry_count_ = 0;
  // streams_[0, stream_count_) are in use; the rest keep their capacity for later batches.
  std::vector<StreamState> streams_;
  size_t stream_count_ = 0;
  std::vector<SourceState> sources_;
  std::vector<flatbuffers::Offset<fb::Label>> label_scratch_;
  std::vector<flatbuffers::Offset<fb::Stream>> stream_scratch_;
  std::vector<flatbuffers::Offset<fb::SourceRange>> source_scratch_;
};

}  // namespace silt::protocol
