#include "aggregator/store/chunk_block.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "aggregator/store/binary_coding.h"

namespace silt::store {
namespace {

Status EntryError(size_t index, size_t offset, std::string_view problem) {
  return Status::Corruption("entry " + std::to_string(index) + " at block offset " +
                            std::to_string(offset) + ": " + std::string(problem));
}

}  // namespace

Result<std::shared_ptr<const ChunkBlock>> ChunkBlock::Parse(std::string data,
                                                            const BlockInfo& info) {
  auto copy = std::make_unique_for_overwrite<char[]>(data.size());
  std::memcpy(copy.get(), data.data(), data.size());
  return Parse(std::move(copy), data.size(), info);
}

Result<std::shared_ptr<const ChunkBlock>> ChunkBlock::Parse(std::unique_ptr<char[]> data,
                                                            size_t size, const BlockInfo& info) {
  std::shared_ptr<ChunkBlock> block(new ChunkBlock());
  block->data_ = std::move(data);
  block->data_size_ = size;
  SILT_RETURN_IF_ERROR(block->ParseEntries(info));
  return std::shared_ptr<const ChunkBlock>(std::move(block));
}

Status ChunkBlock::ParseEntries(const BlockInfo& info) {
  ByteReader reader(data());
  // Each entry takes at least 3 bytes, so a corrupt count cannot make us reserve much.
  entries_.reserve(std::min<size_t>(info.entry_count, data_size_ / 3));
  if (info.min_ts > info.max_ts) return EntryError(0, 0, "block time range is inverted");
  // Unsigned arithmetic: max_ts - min_ts may exceed INT64_MAX.
  uint64_t ts = static_cast<uint64_t>(info.min_ts);
  const uint64_t max_ts = static_cast<uint64_t>(info.max_ts);
  for (uint32_t i = 0; i < info.entry_count; ++i) {
    size_t at = reader.offset();
    uint64_t delta, metadata_count;
    std::string_view line;
    if (!reader.ReadVarint64(&delta) || !reader.ReadLengthPrefixed(&line)) {
      return EntryError(i, at, "truncated");
    }
    if (delta > max_ts - ts || (i == 0 && delta != 0)) {
      return EntryError(i, at, "timestamp outside the block's time range");
    }
    ts += delta;
    size_t metadata_offset = reader.offset();
    if (!reader.ReadVarint64(&metadata_count) || metadata_count > reader.remaining() / 2) {
      return EntryError(i, at, "bad structured metadata count");
    }
    for (uint64_t m = 0; m < metadata_count; ++m) {
      std::string_view name, value;
      if (!reader.ReadLengthPrefixed(&name) || !reader.ReadLengthPrefixed(&value)) {
        return EntryError(i, at, "truncated structured metadata");
      }
    }
    entries_.push_back(
        EntryRef{static_cast<int64_t>(ts), static_cast<uint32_t>(line.data() - data_.get()),
                 static_cast<uint32_t>(line.size()), static_cast<uint32_t>(metadata_offset),
                 static_cast<uint32_t>(metadata_count)});
  }
  if (!reader.empty()) return EntryError(info.entry_count, reader.offset(), "extra bytes");
  if (entries_.empty() || ts != max_ts) {
    return EntryError(info.entry_count, reader.offset(), "last timestamp is not the block's");
  }
  return Status::Ok();
}

void ChunkBlock::AppendMetadata(size_t i, std::vector<labels::LabelView>* out) const {
  const EntryRef& entry = entries_[i];
  ByteReader reader(data().substr(entry.metadata_offset));
  uint64_t count = 0;
  reader.ReadVarint64(&count);  // equals entry.metadata_count: Parse checked every byte
  for (uint32_t m = 0; m < entry.metadata_count; ++m) {
    labels::LabelView pair;
    reader.ReadLengthPrefixed(&pair.name);
    reader.ReadLengthPrefixed(&pair.value);
    out->push_back(pair);
  }
}

size_t ChunkBlock::SumMetadataBytes(size_t i) const {
  const EntryRef& entry = entries_[i];
  ByteReader reader(data().substr(entry.metadata_offset));
  uint64_t count = 0;
  reader.ReadVarint64(&count);  // equals entry.metadata_count: Parse checked every byte
  size_t bytes = 0;
  for (uint32_t m = 0; m < entry.metadata_count; ++m) {
    std::string_view name, value;
    reader.ReadLengthPrefixed(&name);
    reader.ReadLengthPrefixed(&value);
    bytes += name.size() + value.size();
  }
  return bytes;
}

size_t ChunkBlock::LowerBound(int64_t ts) const {
  auto it = std::partition_point(entries_.begin(), entries_.end(),
                                 [ts](const EntryRef& e) { return e.ts < ts; });
  return static_cast<size_t>(it - entries_.begin());
}

size_t ChunkBlock::UpperBound(int64_t ts) const {
  auto it = std::partition_point(entries_.begin(), entries_.end(),
                                 [ts](const EntryRef& e) { return e.ts <= ts; });
  return static_cast<size_t>(it - entries_.begin());
}

ChunkBlockIterator::ChunkBlockIterator(std::shared_ptr<const ChunkBlock> block, Direction direction)
    : block_(std::move(block)),
      direction_(direction),
      pos_(direction == Direction::kForward ? 0 : static_cast<ptrdiff_t>(block_->size()) - 1) {}

void ChunkBlockIterator::Seek(int64_t ts) {
  if (direction_ == Direction::kForward) {
    pos_ = static_cast<ptrdiff_t>(block_->LowerBound(ts));
  } else {
    pos_ = static_cast<ptrdiff_t>(block_->UpperBound(ts)) - 1;
  }
}

}  // namespace silt::store
