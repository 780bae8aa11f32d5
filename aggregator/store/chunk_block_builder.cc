#include "aggregator/store/chunk_block_builder.h"

#include <cassert>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/store/binary_coding.h"

namespace silt::store {
namespace {

void PutLengthPrefixed(std::string_view bytes, std::string* out) {
  PutVarint64(bytes.size(), out);
  out->append(bytes);
}

}  // namespace

size_t ChunkBlockBuilder::EncodedSizeBound(std::string_view line,
                                           std::span<const labels::LabelView> metadata) {
  size_t size = kMaxTimestampDeltaBytes + VarintLength(line.size()) + line.size() +
                VarintLength(metadata.size());
  for (const labels::LabelView& pair : metadata) {
    size += VarintLength(pair.name.size()) + pair.name.size() + VarintLength(pair.value.size()) +
            pair.value.size();
  }
  return size;
}

void ChunkBlockBuilder::PutTimestamp(int64_t timestamp) {
  assert(empty() || timestamp >= max_ts_);
  if (empty()) min_ts_ = max_ts_ = timestamp;
  // Unsigned: the difference of two int64 may exceed INT64_MAX.
  PutVarint64(static_cast<uint64_t>(timestamp) - static_cast<uint64_t>(max_ts_), &data_);
  max_ts_ = timestamp;
  ++entry_count_;
}

void ChunkBlockBuilder::AddTerms(std::string_view line,
                                 std::span<const labels::LabelView> metadata) {
  if (!build_bloom_) return;
  bloom_.AddLine(line);
  for (const labels::LabelView& pair : metadata) bloom_.AddPair(pair.name, pair.value);
}

void ChunkBlockBuilder::Add(int64_t timestamp, std::string_view line,
                            std::span<const labels::LabelView> metadata) {
  PutTimestamp(timestamp);
  PutLengthPrefixed(line, &data_);
  PutVarint64(metadata.size(), &data_);
  for (const labels::LabelView& pair : metadata) {
    PutLengthPrefixed(pair.name, &data_);
    PutLengthPrefixed(pair.value, &data_);
  }
  AddTerms(line, metadata);
}

void ChunkBlockBuilder::AddEncoded(int64_t timestamp, std::string_view encoded,
                                   std::string_view line,
                                   std::span<const labels::LabelView> metadata) {
  assert(EncodedSizeBound(encoded.size()) == EncodedSizeBound(line, metadata));
  PutTimestamp(timestamp);
  data_.append(encoded);
  AddTerms(line, metadata);
}

void ChunkBlockBuilder::AppendBloom(double false_positive_rate, std::string* out) {
  assert(build_bloom_);
  bloom_.AppendFilterTo(false_positive_rate, out);
}

void ChunkBlockBuilder::Reset() {
  data_.clear();
  bloom_.Clear();
  entry_count_ = 0;
  min_ts_ = max_ts_ = 0;
}

}  // namespace silt::store
