#include "aggregator/store/chunk_reader.h"

#include <algorithm>
#include <cassert>
#include <cstdio>
#include <utility>

#include "aggregator/bloom/bloom_query.h"
#include "aggregator/store/block_compression.h"
#include "shared/hash/xxh3.h"

namespace silt::store {
namespace {

std::string Hex(uint64_t value) {
  char buffer[19];
  std::snprintf(buffer, sizeof(buffer), "0x%016llx", static_cast<unsigned long long>(value));
  return buffer;
}

}  // namespace

ChunkReader::ChunkReader(const fs::RandomAccessFile* file, ChunkReaderOptions options)
    : file_(file), options_(options) {
  if (options_.cache != nullptr) file_id_ = options_.cache->NewFileId();
}

void ChunkReader::Count(std::atomic<uint64_t> ChunkReadCounters::*counter, uint64_t n) const {
  if (options_.counters != nullptr) {
    (options_.counters->*counter).fetch_add(n, std::memory_order_relaxed);
  }
}

Result<std::unique_ptr<ChunkReader>> ChunkReader::Open(const fs::RandomAccessFile* file,
                                                       ChunkReaderOptions options) {
  std::unique_ptr<ChunkReader> reader(new ChunkReader(file, options));
  Status status = reader->Load();
  if (!status.ok()) {
    if (status.code() == StatusCode::kCorruption) reader->Count(&ChunkReadCounters::corrupt_chunks);
    return status;
  }
  reader->Count(&ChunkReadCounters::chunks_opened);
  return reader;
}

Status ChunkReader::ReadExact(uint64_t offset, size_t size, std::string* out) const {
  out->resize(size);
  return ReadExact(offset, size, out->data());
}

Status ChunkReader::ReadExact(uint64_t offset, size_t size, char* out) const {
  SILT_ASSIGN_OR_RETURN(size_t n, file_->Read(offset, size, out));
  if (n != size) {
    return Status::Corruption("chunk " + path() + ": wanted " + std::to_string(size) +
                              " bytes at offset " + std::to_string(offset) + " but the file ends" +
                              " after " + std::to_string(n) + " (truncated)");
  }
  return Status::Ok();
}

Status ChunkReader::Load() {
  SILT_ASSIGN_OR_RETURN(uint64_t file_size, file_->Size());
  if (file_size < kMinChunkFileSize) {
    return Status::Corruption("chunk " + path() + ": " + std::to_string(file_size) +
                              " bytes is too small for a chunk file (truncated or not a chunk)");
  }
  SILT_RETURN_IF_ERROR(LoadFooter(file_size));
  SILT_RETURN_IF_ERROR(LoadHeader());
  SILT_RETURN_IF_ERROR(LoadDirectory());
  return CheckDirectoryAgainstFooter();
}

Status ChunkReader::LoadFooter(uint64_t file_size) {
  const uint64_t footer_offset = file_size - kFooterSize;
  std::string bytes;
  SILT_RETURN_IF_ERROR(ReadExact(footer_offset, kFooterSize, &bytes));
  std::string where =
      "chunk " + path() + ": footer at file offset " + std::to_string(footer_offset);
  Result<ChunkFooter> footer = DecodeFooter(bytes);
  if (!footer.ok()) return footer.status().WithContext(where);
  footer_ = *footer;
  if (footer_.header_size <= kHeaderFixedSize ||
      footer_.header_size > kHeaderFixedSize + kMaxTenantLength ||
      footer_.directory_offset < footer_.header_size || footer_.directory_offset > footer_offset ||
      footer_.directory_size != footer_offset - footer_.directory_offset) {
    return Status::Corruption(where + ": header size " + std::to_string(footer_.header_size) +
                              " and directory offset " + std::to_string(footer_.directory_offset) +
                              " + size " + std::to_string(footer_.directory_size) +
                              " do not fit a file of " + std::to_string(file_size) + " bytes");
  }
  if (footer_.directory_size > options_.max_directory_size) {
    return Status::Corruption(where + ": directory of " + std::to_string(footer_.directory_size) +
                              " bytes exceeds the limit of " +
                              std::to_string(options_.max_directory_size));
  }
  return Status::Ok();
}

Status ChunkReader::LoadHeader() {
  std::string bytes;
  SILT_RETURN_IF_ERROR(ReadExact(0, footer_.header_size, &bytes));
  uint64_t computed = hash::Xxh3(bytes);
  if (computed != footer_.header_checksum) {
    return Status::Corruption("chunk " + path() + ": header at file offset 0: checksum mismatch" +
                              " (footer says " + Hex(footer_.header_checksum) + ", computed " +
                              Hex(computed) + ")");
  }
  Result<ChunkHeader> header = DecodeHeader(bytes);
  if (!header.ok()) return header.status().WithContext("chunk " + path());
  if (header->version != footer_.version) {
    return Status::Corruption("chunk " + path() + ": header says format version " +
                              std::to_string(header->version) + ", footer says " +
                              std::to_string(footer_.version));
  }
  header_ = std::move(header).value();
  return Status::Ok();
}

Status ChunkReader::LoadDirectory() {
  std::string where =
      "chunk " + path() + ": directory at file offset " + std::to_string(footer_.directory_offset);
  std::string bytes;
  SILT_RETURN_IF_ERROR(ReadExact(footer_.directory_offset, footer_.directory_size, &bytes));
  uint64_t computed = hash::Xxh3(bytes);
  if (computed != footer_.directory_checksum) {
    return Status::Corruption(where + ": checksum mismatch (footer says " +
                              Hex(footer_.directory_checksum) + ", computed " + Hex(computed) +
                              ")");
  }
  Result<std::vector<StreamInfo>> streams = DecodeDirectory(bytes);
  if (!streams.ok()) return streams.status().WithContext(where);
  streams_ = std::move(streams).value();
  by_fingerprint_.reserve(streams_.size());
  for (size_t i = 0; i < streams_.size(); ++i)
    by_fingerprint_.emplace_back(streams_[i].fingerprint, i);
  std::sort(by_fingerprint_.begin(), by_fingerprint_.end());
  return Status::Ok();
}

Status ChunkReader::CheckBlockPlacement(const StreamInfo& stream, size_t block_index) const {
  const BlockInfo& block = stream.blocks[block_index];
  const uint64_t begin = footer_.header_size;
  const uint64_t end = footer_.directory_offset;
  bool in_file =
      block.offset >= begin && block.offset <= end && block.compressed_size <= end - block.offset;
  bool bloom_in_file =
      block.bloom_size == 0 || (block.bloom_offset >= begin && block.bloom_offset <= end &&
                                block.bloom_size <= end - block.bloom_offset);
  bool sizes_ok =
      block.uncompressed_size > 0 && block.uncompressed_size <= options_.max_block_size &&
      block.compressed_size <= MaxCompressedSize(header_.codec, block.uncompressed_size);
  bool in_partition =
      block.min_ts >= header_.partition_start && block.max_ts < header_.partition_end;
  if (in_file && bloom_in_file && sizes_ok && in_partition) return Status::Ok();
  return Status::Corruption("chunk " + path() + ": directory entry of block " +
                            std::to_string(block_index) + " of stream " + stream.labels.ToString() +
                            " points outside the block region, claims impossible sizes, or lies " +
                            "outside the partition");
}

Status ChunkReader::CheckDirectoryAgainstFooter() const {
  uint64_t blocks = 0, entries = 0;
  for (const StreamInfo& stream : streams_) {
    for (size_t i = 0; i < stream.blocks.size(); ++i) {
      SILT_RETURN_IF_ERROR(CheckBlockPlacement(stream, i));
    }
    blocks += stream.blocks.size();
    entries += stream.entry_count;
  }
  if (streams_.size() != footer_.stream_count || blocks != footer_.block_count ||
      entries != footer_.entry_count) {
    return Status::Corruption(
        "chunk " + path() + ": directory holds " + std::to_string(streams_.size()) + " streams, " +
        std::to_string(blocks) + " blocks, " + std::to_string(entries) +
        " entries but the footer counts " + std::to_string(footer_.stream_count) + ", " +
        std::to_string(footer_.block_count) + ", " + std::to_string(footer_.entry_count));
  }
  return Status::Ok();
}

std::optional<size_t> ChunkReader::FindStream(const labels::LabelSet& labels) const {
  uint64_t fingerprint = labels.Fingerprint();
  auto it = std::lower_bound(by_fingerprint_.begin(), by_fingerprint_.end(),
                             std::make_pair(fingerprint, size_t{0}));
  if (it == by_fingerprint_.end() || it->first != fingerprint) return std::nullopt;
  if (streams_[it->second].labels != labels) return std::nullopt;
  return it->second;
}

Status ChunkReader::BlockError(size_t stream_index, size_t block_index, uint64_t offset,
                               std::string_view problem) const {
  return Status::Corruption("chunk " + path() + ": block " + std::to_string(block_index) +
                            " of stream " + streams_[stream_index].labels.ToString() +
                            " at file offset " + std::to_string(offset) + ": " +
                            std::string(problem) + "; the chunk's other blocks stay readable");
}

Result<std::shared_ptr<const ChunkBlock>> ChunkReader::DecodeBlock(
    const BlockInfo& info, std::string_view compressed,
    const DecompressedBlockFilter* filter) const {
  uint64_t computed = hash::Xxh3(compressed);
  if (computed != info.checksum) {
    return Status::Corruption("checksum mismatch (directory says " + Hex(info.checksum) +
                              ", computed " + Hex(computed) + ")");
  }
  // Not zero-filled: the codec overwrites every byte (or the block is refused).
  auto data = std::make_unique_for_overwrite<char[]>(info.uncompressed_size);
  SILT_RETURN_IF_ERROR(
      DecompressBlock(header_.codec, compressed, info.uncompressed_size, data.get()));
  if (filter != nullptr &&
      !(*filter)(ChunkBlock::LineBytes(std::string_view(data.get(), info.uncompressed_size),
                                       header_.version))) {
    return std::shared_ptr<const ChunkBlock>();
  }
  return ChunkBlock::Parse(std::move(data), info.uncompressed_size, info, header_.version);
}

Result<std::shared_ptr<const ChunkBlock>> ChunkReader::ReadBlock(size_t stream_index,
                                                                 size_t block_index) const {
  return ReadBlock(stream_index, block_index, BlockReadOptions{});
}

Result<std::shared_ptr<const ChunkBlock>> ChunkReader::ReadBlock(
    size_t stream_index, size_t block_index, const BlockReadOptions& options) const {
  assert(stream_index < streams_.size() && block_index < streams_[stream_index].blocks.size());
  const BlockInfo& info = streams_[stream_index].blocks[block_index];
  if (options_.cache != nullptr) {
    if (auto cached = options_.cache->Lookup(file_id_, info.offset)) {
      Count(&ChunkReadCounters::block_cache_hits);
      if (options.filter != nullptr && !(*options.filter)(cached->line_bytes())) {
        Count(&ChunkReadCounters::blocks_rejected);
        return std::shared_ptr<const ChunkBlock>();
      }
      return cached;
    }
  }
  auto compressed = std::make_unique_for_overwrite<char[]>(info.compressed_size);
  SILT_RETURN_IF_ERROR(ReadExact(info.offset, info.compressed_size, compressed.get()));
  Count(&ChunkReadCounters::blocks_read);
  Count(&ChunkReadCounters::block_bytes_read, info.compressed_size);
  Result<std::shared_ptr<const ChunkBlock>> block =
      DecodeBlock(info, std::string_view(compressed.get(), info.compressed_size), options.filter);
  if (!block.ok()) {
    Count(&ChunkReadCounters::corrupt_blocks);
    return BlockError(stream_index, block_index, info.offset, block.status().message());
  }
  if (*block == nullptr) {
    Count(&ChunkReadCounters::blocks_rejected);
  } else if (options_.cache != nullptr && options.fill_cache) {
    options_.cache->Insert(file_id_, info.offset, *block);
  }
  return block;
}

Result<std::optional<bloom::BloomFilter>> ChunkReader::ReadBloom(size_t stream_index,
                                                                 size_t block_index) const {
  assert(stream_index < streams_.size() && block_index < streams_[stream_index].blocks.size());
  const BlockInfo& info = streams_[stream_index].blocks[block_index];
  if (info.bloom_size == 0) return std::optional<bloom::BloomFilter>();
  std::string bytes;
  SILT_RETURN_IF_ERROR(ReadExact(info.bloom_offset, info.bloom_size, &bytes));
  Count(&ChunkReadCounters::blooms_read);
  uint64_t computed = hash::Xxh3(bytes);
  if (computed != info.bloom_checksum) {
    Count(&ChunkReadCounters::corrupt_blooms);
    return BlockError(stream_index, block_index, info.bloom_offset,
                      "bloom filter checksum mismatch (directory says " + Hex(info.bloom_checksum) +
                          ", computed " + Hex(computed) + ")");
  }
  Result<bloom::BloomFilter> filter = bloom::BloomFilter::Deserialize(bytes);
  if (!filter.ok()) {
    Count(&ChunkReadCounters::corrupt_blooms);
    return BlockError(stream_index, block_index, info.bloom_offset, filter.status().message());
  }
  return std::optional<bloom::BloomFilter>(std::move(filter).value());
}

Result<bool> ChunkReader::BlockMayContainLiteral(size_t stream_index, size_t block_index,
                                                 std::string_view literal) const {
  SILT_ASSIGN_OR_RETURN(std::optional<bloom::BloomFilter> filter,
                        ReadBloom(stream_index, block_index));
  return !filter.has_value() || bloom::MayContainLiteral(*filter, literal);
}

}  // namespace silt::store
