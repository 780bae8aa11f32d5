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
  PutVarint64(static_cast<uint64_t>(timestamp) - static_cast<uint64_t>(max_ts_), &headers_);
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
  assert(!finished_);
  PutTimestamp(timestamp);
  PutVarint64(line.size(), &headers_);
  PutVarint64(metadata.size(), &headers_);
  for (const labels::LabelView& pair : metadata) {
    PutLengthPrefixed(pair.name, &headers_);
    PutLengthPrefixed(pair.value, &headers_);
  }
  lines_.append(line);
  AddTerms(line, metadata);
}

void ChunkBlockBuilder::AddEncoded(int64_t timestamp, std::string_view encoded,
                                   std::string_view line,
                                   std::span<const labels::LabelView> metadata) {
  assert(!finished_);
  assert(EncodedSizeBound(encoded.size()) == EncodedSizeBound(line, metadata));
  // `encoded` is the line's length, the line, then the metadata count and pairs: the line goes
  // with the lines, the rest with the headers.
  assert(line.data() >= encoded.data() &&
         line.data() + line.size() <= encoded.data() + encoded.size());
  const size_t line_at = static_cast<size_t>(line.data() - encoded.data());
  PutTimestamp(timestamp);
  headers_.append(encoded.substr(0, line_at));
  headers_.append(encoded.substr(line_at + line.size()));
  lines_.append(line);
  AddTerms(line, metadata);
}

std::string_view ChunkBlockBuilder::Finish() {
  if (!finished_) {
    const size_t headers_size = headers_.size();
    lines_.append(headers_);
    PutFixed32(static_cast<uint32_t>(headers_size), &lines_);
    finished_ = true;
  }
  return lines_;
}

void ChunkBlockBuilder::AppendBloom(double false_positive_rate, std::string* out) {
  assert(build_bloom_);
  bloom_.AppendFilterTo(false_positive_rate, out);
}

void ChunkBlockBuilder::Reset() {
  lines_.clear();
  headers_.clear();
  finished_ = false;
  bloom_.Clear();
  entry_count_ = 0;
  min_ts_ = max_ts_ = 0;
}

}  // namespace silt::store
