// ChunkBlockBuilder: encodes the entries of one block (chunk_format.h "block": the lines back to
// back, then every entry's header, then the headers' size) while collecting their bloom terms
// (bloom::BlockBloomBuilder), then builds the block's bloom filter. Lines and headers grow in two
// buffers; Finish joins them, copying only the headers. The chunk writer owns one and resets it
// after each block. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "aggregator/bloom/block_bloom_builder.h"
#include "aggregator/store/chunk_format.h"
#include "shared/labels/label_set.h"

namespace silt::store {

class ChunkBlockBuilder {
 public:
  // With `build_bloom` false no terms are collected and AppendBloom must not be called.
  explicit ChunkBlockBuilder(bool build_bloom) : build_bloom_(build_bloom) {}

  // An upper bound of the bytes Add appends for this entry.
  static size_t EncodedSizeBound(std::string_view line,
                                 std::span<const labels::LabelView> metadata);
  // The same for AddEncoded of `encoded_size` bytes (equal to the above for the same entry).
  static size_t EncodedSizeBound(size_t encoded_size) {
    return kMaxTimestampDeltaBytes + encoded_size;
  }

  // Appends an entry. Precondition: `timestamp` >= the previous entry's.
  void Add(int64_t timestamp, std::string_view line, std::span<const labels::LabelView> metadata);
  // The same, given the entry already encoded after its timestamp delta: `encoded` is what Add
  // would append for (line, metadata) after the delta (an EntryArena entry, entry_arena.h). The
  // block's bytes are the same; only the encoding is skipped.
  void AddEncoded(int64_t timestamp, std::string_view encoded, std::string_view line,
                  std::span<const labels::LabelView> metadata);

  bool empty() const { return entry_count_ == 0; }
  uint32_t entry_count() const { return entry_count_; }
  int64_t min_ts() const { return min_ts_; }
  int64_t max_ts() const { return max_ts_; }
  // The size of the block Finish would return now.
  size_t size() const {
    return finished_ ? lines_.size() : lines_.size() + headers_.size() + kBlockTrailerSize;
  }
  // The block's bytes (chunk_format.h "block"), valid until the next non-const call. No entry may
  // be added after it, only AppendBloom and Reset.
  std::string_view Finish();

  // Appends the serialized bloom filter of the terms of every entry added since the last Reset,
  // sized for their distinct count at `false_positive_rate`.
  void AppendBloom(double false_positive_rate, std::string* out);

  // Starts the next block; buffers keep their capacity.
  void Reset();

 private:
  static constexpr size_t kMaxTimestampDeltaBytes = 10;  // a varint64

  // Starts an entry: its timestamp delta and the block's time range.
  void PutTimestamp(int64_t timestamp);
  void AddTerms(std::string_view line, std::span<const labels::LabelView> metadata);

  bool build_bloom_;
  std::string lines_;    // every line, back to back; Finish appends the headers to it
  std::string headers_;  // every entry's header
  bool finished_ = false;
  uint32_t entry_count_ = 0;
  int64_t min_ts_ = 0;
  int64_t max_ts_ = 0;
  bloom::BlockBloomBuilder bloom_;
};

}  // namespace silt::store
