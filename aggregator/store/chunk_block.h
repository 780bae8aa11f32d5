// ChunkBlock: one decompressed block of a chunk file, parsed and checked once, with an index of
// its entries so they can be read in either direction and found by timestamp. This is what the
// BlockCache holds. ChunkBlockIterator walks one block forward or backward.
//
// The bytes live in a heap buffer that is never zero-filled (ChunkReader decompresses straight
// into it), so reading a block costs one allocation and no memset.
//
// Thread-safety: a ChunkBlock is immutable after Parse and shared (shared_ptr) between readers
// and the cache; any number of threads may read it. An iterator is used by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_format.h"
#include "aggregator/store/chunk_layout.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::store {

enum class Direction {
  kForward,   // oldest first; equal timestamps in insertion order
  kBackward,  // newest first; equal timestamps in reverse insertion order
};

class ChunkBlock {
 public:
  // Parses the decompressed entries of the block `info` describes, laid out as chunk format
  // `version` lays them out (chunk_format.h "block"). Corruption (naming the entry index and
  // byte offset) when the bytes do not hold exactly info.entry_count well-formed entries in
  // timestamp order spanning exactly [info.min_ts, info.max_ts].
  static Result<std::shared_ptr<const ChunkBlock>> Parse(std::string data, const BlockInfo& info,
                                                         uint8_t version = kChunkFormatVersion);
  // As above, taking ownership of `size` bytes at `data` (e.g. from
  // std::make_unique_for_overwrite<char[]>) without copying them.
  static Result<std::shared_ptr<const ChunkBlock>> Parse(std::unique_ptr<char[]> data, size_t size,
                                                         const BlockInfo& info,
                                                         uint8_t version = kChunkFormatVersion);
  // The part of a decompressed block of format `version` that holds its lines: in version 2
  // every line back to back, which a literal search can scan without meeting a header; in
  // version 1 (or a block too short for its trailer, which Parse refuses) all of `block`.
  static std::string_view LineBytes(std::string_view block, uint8_t version);

  size_t size() const { return entries_.size(); }
  // Accessors take an index < size(). Views point into this block and live as long as it.
  int64_t timestamp(size_t i) const { return entries_[i].ts; }
  std::string_view line(size_t i) const {
    return data().substr(entries_[i].line_offset, entries_[i].line_size);
  }
  size_t line_size(size_t i) const { return entries_[i].line_size; }
  // The whole decompressed block (docs/formats/chunk.md "Blocks").
  std::string_view data() const { return std::string_view(data_.get(), data_size_); }
  // LineBytes(data(), version): every line's bytes are inside it, at their offsets in data().
  std::string_view line_bytes() const { return std::string_view(data_.get(), line_bytes_size_); }
  size_t metadata_count(size_t i) const { return entries_[i].metadata_count; }
  // Appends the structured metadata pairs of entry `i`, in the order they were written.
  void AppendMetadata(size_t i, std::vector<labels::LabelView>* out) const;
  // The name plus value bytes of entry `i`'s structured metadata (0 without any).
  size_t MetadataBytes(size_t i) const {
    return entries_[i].metadata_count == 0 ? 0 : SumMetadataBytes(i);
  }

  // The first index whose timestamp is >= `ts` (size() when none).
  size_t LowerBound(int64_t ts) const;
  // The first index whose timestamp is > `ts` (size() when none).
  size_t UpperBound(int64_t ts) const;

  // Heap bytes held, as charged to the BlockCache.
  size_t MemoryBytes() const {
    return sizeof(*this) + data_size_ + entries_.capacity() * sizeof(EntryRef);
  }

 private:
  struct EntryRef {
    int64_t ts;
    uint32_t line_offset;
    uint32_t line_size;
    uint32_t metadata_offset;  // of the first name's length
    uint32_t metadata_count;
  };

  ChunkBlock() = default;
  // Version 2: the lines, then the headers, then their size.
  Status ParseEntries(const BlockInfo& info);
  // Version 1: each entry's header, line and metadata in turn.
  Status ParseInterleavedEntries(const BlockInfo& info);
  size_t SumMetadataBytes(size_t i) const;

  std::unique_ptr<char[]> data_;
  size_t data_size_ = 0;
  size_t line_bytes_size_ = 0;
  std::vector<EntryRef> entries_;
};

// Walks the entries of one block. Starts at the first entry in its direction.
class ChunkBlockIterator {
 public:
  ChunkBlockIterator(std::shared_ptr<const ChunkBlock> block, Direction direction);

  bool Valid() const { return pos_ >= 0 && static_cast<size_t>(pos_) < block_->size(); }
  // Precondition for Next and the accessors: Valid().
  void Next() { pos_ += direction_ == Direction::kForward ? 1 : -1; }
  // Moves `n` entries on in the walk's direction (Next n times); may leave the iterator invalid.
  void Skip(size_t n) {
    const auto delta = static_cast<ptrdiff_t>(n);
    pos_ += direction_ == Direction::kForward ? delta : -delta;
  }
  // Forward: moves to the first entry with timestamp >= `ts`. Backward: to the last entry with
  // timestamp <= `ts`. Invalid when there is none.
  void Seek(int64_t ts);

  int64_t timestamp() const { return block_->timestamp(index()); }
  std::string_view line() const { return block_->line(index()); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const {
    block_->AppendMetadata(index(), out);
  }
  size_t index() const { return static_cast<size_t>(pos_); }
  const ChunkBlock& block() const { return *block_; }

 private:
  std::shared_ptr<const ChunkBlock> block_;
  Direction direction_;
  ptrdiff_t pos_;
};

}  // namespace silt::store
