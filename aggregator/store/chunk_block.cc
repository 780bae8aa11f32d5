#include "aggregator/store/chunk_block.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <utility>

#include "aggregator/store/binary_coding.h"

namespace silt::store {
namespace {

Status EntryError(size_t index, size_t offset, std::string_view problem) {
  return Status::Corruption("entry " + std::to_string(index) + " at block offset " +
                            std::to_string(offset) + ": " + std::string(problem));
}

// How far ahead of the entry being parsed the block's bytes are prefetched (a few entries).
constexpr ptrdiff_t kPrefetchAhead = 512;

// The varint at `p` (as ByteReader::ReadVarint64 reads it: at most 10 bytes, no overflow past
// 64 bits), stored in *value; returns the byte after it, or nullptr when it is truncated by
// `end`, too long or overflows.
inline const char* DecodeVarint(const char* p, const char* end, uint64_t* value) {
  if (p < end && static_cast<uint8_t>(*p) < 0x80) {  // lengths and metadata counts, mostly
    *value = static_cast<uint8_t>(*p);
    return p + 1;
  }
  uint64_t result = 0;
  for (size_t i = 0; i < 10 && p + i < end; ++i) {
    const auto byte = static_cast<uint8_t>(p[i]);
    if (i == 9 && byte > 1) return nullptr;
    result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      *value = result;
      return p + i + 1;
    }
  }
  return nullptr;
}

// As DecodeVarint, without a data-dependent branch for varints of 1 or 2 bytes (line lengths
// around 128 bytes would otherwise mispredict at every other entry).
inline const char* DecodeShortVarint(const char* p, const char* end, uint64_t* value) {
  if (end - p >= 2) {
    const uint32_t b0 = static_cast<uint8_t>(p[0]);
    const uint32_t b1 = static_cast<uint8_t>(p[1]);
    const uint32_t more = b0 >> 7;  // 1 when a second byte follows
    if ((b1 & (more << 7)) == 0) {  // not 3 bytes or more
      *value = (b0 & 0x7F) | ((b1 << 7) & (0u - more));
      return p + 1 + more;
    }
  }
  return DecodeVarint(p, end, value);
}

// Skips `count` structured metadata pairs (a length-prefixed name, then its value) at `p`;
// returns the byte after them, or nullptr when one is truncated by `end`.
const char* SkipMetadata(const char* p, const char* end, uint64_t count) {
  for (uint64_t m = 0; m < 2 * count; ++m) {
    uint64_t size;
    p = DecodeVarint(p, end, &size);
    if (p == nullptr || size > static_cast<size_t>(end - p)) return nullptr;
    p += size;
  }
  return p;
}

}  // namespace

Result<std::shared_ptr<const ChunkBlock>> ChunkBlock::Parse(std::string data,
                                                            const BlockInfo& info,
                                                            uint8_t version) {
  auto copy = std::make_unique_for_overwrite<char[]>(data.size());
  std::memcpy(copy.get(), data.data(), data.size());
  return Parse(std::move(copy), data.size(), info, version);
}

Result<std::shared_ptr<const ChunkBlock>> ChunkBlock::Parse(std::unique_ptr<char[]> data,
                                                            size_t size, const BlockInfo& info,
                                                            uint8_t version) {
  std::shared_ptr<ChunkBlock> block(new ChunkBlock());
  block->data_ = std::move(data);
  block->data_size_ = size;
  SILT_RETURN_IF_ERROR(version == 1 ? block->ParseInterleavedEntries(info)
                                    : block->ParseEntries(info));
  return std::shared_ptr<const ChunkBlock>(std::move(block));
}

std::string_view ChunkBlock::LineBytes(std::string_view block, uint8_t version) {
  if (version == 1 || block.size() < kBlockTrailerSize) return block;
  const size_t before_trailer = block.size() - kBlockTrailerSize;
  const uint64_t headers_size = DecodeFixed(block.data() + before_trailer, 4);
  if (headers_size > before_trailer) return block;
  return block.substr(0, before_trailer - headers_size);
}

Status ChunkBlock::ParseEntries(const BlockInfo& info) {
  const char* const base = data_.get();
  if (data_size_ < kBlockTrailerSize) {
    return EntryError(0, 0, "block of " + std::to_string(data_size_) +
                                " bytes is shorter than its 4-byte trailer");
  }
  const size_t before_trailer = data_size_ - kBlockTrailerSize;
  const uint64_t headers_size = DecodeFixed(base + before_trailer, 4);
  if (headers_size > before_trailer) {
    return EntryError(0, before_trailer,
                      "the trailer's headers size " + std::to_string(headers_size) +
                          " exceeds the block's other " + std::to_string(before_trailer) +
                          " bytes");
  }
  line_bytes_size_ = before_trailer - headers_size;
  const size_t lines_size = line_bytes_size_;
  // The headers: a few bytes per entry, read in one pass that never touches the lines.
  const char* p = base + lines_size;
  const char* const end = base + before_trailer;
  // Each header takes at least 3 bytes, so a corrupt count cannot make us reserve much.
  entries_.reserve(std::min<size_t>(info.entry_count, headers_size / 3));
  if (info.min_ts > info.max_ts) return EntryError(0, 0, "block time range is inverted");
  // Unsigned arithmetic: max_ts - min_ts may exceed INT64_MAX.
  uint64_t ts = static_cast<uint64_t>(info.min_ts);
  const uint64_t max_ts = static_cast<uint64_t>(info.max_ts);
  size_t line_offset = 0;
  for (uint32_t i = 0; i < info.entry_count; ++i) {
    const size_t at = static_cast<size_t>(p - base);
    uint64_t delta, line_size, metadata_count;
    p = DecodeVarint(p, end, &delta);
    if (p != nullptr) p = DecodeShortVarint(p, end, &line_size);
    const char* const metadata = p;
    if (p != nullptr) p = DecodeVarint(p, end, &metadata_count);
    if (p == nullptr) return EntryError(i, at, "truncated header");
    if (line_size > lines_size - line_offset) {
      return EntryError(i, at, "line of " + std::to_string(line_size) +
                                   " bytes runs past the block's lines");
    }
    if (delta > max_ts - ts || (i == 0 && delta != 0)) {
      return EntryError(i, at, "timestamp outside the block's time range");
    }
    ts += delta;
    if (metadata_count != 0) {
      if (metadata_count > static_cast<size_t>(end - p) / 2) {
        return EntryError(i, at, "bad structured metadata count");
      }
      p = SkipMetadata(p, end, metadata_count);
      if (p == nullptr) return EntryError(i, at, "truncated structured metadata");
    }
    entries_.push_back(EntryRef{static_cast<int64_t>(ts), static_cast<uint32_t>(line_offset),
                                static_cast<uint32_t>(line_size),
                                static_cast<uint32_t>(metadata - base),
                                static_cast<uint32_t>(metadata_count)});
    line_offset += line_size;
  }
  const size_t parsed = static_cast<size_t>(p - base);
  if (p != end) return EntryError(info.entry_count, parsed, "extra bytes after the last header");
  if (line_offset != lines_size) {
    return EntryError(info.entry_count, line_offset,
                      std::to_string(lines_size - line_offset) +
                          " bytes of lines that no header accounts for");
  }
  if (entries_.empty() || ts != max_ts) {
    return EntryError(info.entry_count, parsed, "last timestamp is not the block's");
  }
  return Status::Ok();
}

Status ChunkBlock::ParseInterleavedEntries(const BlockInfo& info) {
  line_bytes_size_ = data_size_;
  const char* const base = data_.get();
  const char* p = base;
  const char* const end = base + data_size_;
  // Each entry takes at least 3 bytes, so a corrupt count cannot make us reserve much.
  entries_.reserve(std::min<size_t>(info.entry_count, data_size_ / 3));
  if (info.min_ts > info.max_ts) return EntryError(0, 0, "block time range is inverted");
  // Unsigned arithmetic: max_ts - min_ts may exceed INT64_MAX.
  uint64_t ts = static_cast<uint64_t>(info.min_ts);
  const uint64_t max_ts = static_cast<uint64_t>(info.max_ts);
  for (uint32_t i = 0; i < info.entry_count; ++i) {
    const size_t at = static_cast<size_t>(p - base);
    // The walk depends on each line's length to find the next entry; fetch ahead of it.
    __builtin_prefetch(p + std::min<ptrdiff_t>(kPrefetchAhead, end - p));
    uint64_t delta, line_size, metadata_count;
    p = DecodeVarint(p, end, &delta);
    if (p != nullptr) p = DecodeShortVarint(p, end, &line_size);
    if (p == nullptr || line_size > static_cast<size_t>(end - p)) {
      return EntryError(i, at, "truncated");
    }
    const char* const line = p;
    p += line_size;
    if (delta > max_ts - ts || (i == 0 && delta != 0)) {
      return EntryError(i, at, "timestamp outside the block's time range");
    }
    ts += delta;
    const size_t metadata_offset = static_cast<size_t>(p - base);
    p = DecodeVarint(p, end, &metadata_count);
    if (p == nullptr || metadata_count > static_cast<size_t>(end - p) / 2) {
      return EntryError(i, at, "bad structured metadata count");
    }
    p = SkipMetadata(p, end, metadata_count);
    if (p == nullptr) return EntryError(i, at, "truncated structured metadata");
    entries_.push_back(EntryRef{static_cast<int64_t>(ts), static_cast<uint32_t>(line - base),
                                static_cast<uint32_t>(line_size),
                                static_cast<uint32_t>(metadata_offset),
                                static_cast<uint32_t>(metadata_count)});
  }
  const size_t parsed = static_cast<size_t>(p - base);
  if (p != end) return EntryError(info.entry_count, parsed, "extra bytes");
  if (entries_.empty() || ts != max_ts) {
    return EntryError(info.entry_count, parsed, "last timestamp is not the block's");
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
