// ChunkReader: reads a chunk file (docs/formats/chunk.md). Open reads only the footer, the header
// and the stream directory and verifies their checksums and invariants; blocks and bloom filters
// are read on demand, one at a time, so a query touches only the blocks it needs. Decompressed
// blocks go through the shared BlockCache when one is given; a read may ask not to insert what
// it decompresses (BlockReadOptions::fill_cache, for one-pass scans) and may reject a block
// from its decompressed bytes before the entries are parsed (BlockReadOptions::filter). Block
// bytes are read and decompressed into buffers that are never zero-filled.
//
// Damage is contained: a corrupt footer, header or directory makes Open fail with Corruption
// (the caller skips this chunk and goes on with the others); a corrupt block or bloom makes only
// that ReadBlock/ReadBloom fail with Corruption, and the other blocks stay readable. Each is
// counted in ChunkReadCounters.
//
// Thread-safety: after Open the reader is immutable; ReadBlock, ReadBloom and the accessors may
// be called from any number of threads at once.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/store/block_cache.h"
#include "aggregator/store/chunk_block.h"
#include "aggregator/store/chunk_layout.h"
#include "shared/fs/file_system.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::store {

// Totals over every reader sharing the struct (a store passes one to all its readers).
struct ChunkReadCounters {
  std::atomic<uint64_t> chunks_opened{0};
  std::atomic<uint64_t> corrupt_chunks{0};    // Open failed with Corruption
  std::atomic<uint64_t> blocks_read{0};       // read from the file and decompressed
  std::atomic<uint64_t> block_bytes_read{0};  // compressed bytes of those blocks
  std::atomic<uint64_t> block_cache_hits{0};
  std::atomic<uint64_t> blocks_rejected{0};  // by BlockReadOptions::filter (read or cached)
  std::atomic<uint64_t> corrupt_blocks{0};
  std::atomic<uint64_t> blooms_read{0};
  std::atomic<uint64_t> corrupt_blooms{0};
};

// Sees the bytes of a decompressed block that hold its lines (ChunkBlock::LineBytes: every line
// back to back, or in a version 1 chunk the whole block, headers and metadata included) before
// they are parsed; false means no entry of the block is needed. Called on the reading thread;
// must not throw or keep the view.
using DecompressedBlockFilter = std::function<bool(std::string_view line_bytes)>;

// How one ReadBlock call uses the cache and whether it may reject the block.
struct BlockReadOptions {
  // False: a cached block is still used, but a block read from the file is not inserted, so a
  // one-pass scan does not evict what other queries need.
  bool fill_cache = true;
  // Optional; must outlive the call. Also applied to a block found in the cache.
  const DecompressedBlockFilter* filter = nullptr;
};

struct ChunkReaderOptions {
  BlockCache* cache = nullptr;            // optional; must outlive the reader
  ChunkReadCounters* counters = nullptr;  // optional; must outlive the reader
  // A block claiming to decompress to more is corrupt (checked before allocating).
  size_t max_block_size = kMaxBlockSize;
  // A directory larger than this is refused (it is read into memory whole).
  size_t max_directory_size = 256 * 1024 * 1024;
};

class ChunkReader {
 public:
  // Reads and verifies the footer, header and directory of `file`, which must outlive the
  // reader. Corruption naming the path and the offset of the damaged part when the file is
  // truncated, not a chunk file, or fails a checksum or invariant; IOError when reading fails.
  static Result<std::unique_ptr<ChunkReader>> Open(const fs::RandomAccessFile* file,
                                                   ChunkReaderOptions options = {});

  ChunkReader(const ChunkReader&) = delete;
  ChunkReader& operator=(const ChunkReader&) = delete;

  const std::string& path() const { return file_->path(); }
  const ChunkHeader& header() const { return header_; }
  // Totals, time range and wal_seq_hi.
  const ChunkFooter& footer() const { return footer_; }
  // Streams in the order they were written; their blocks in timestamp order.
  std::span<const StreamInfo> streams() const { return streams_; }
  // The index in streams() of the stream with exactly `labels`, or nullopt.
  std::optional<size_t> FindStream(const labels::LabelSet& labels) const;
  // The key under which this reader's blocks are cached (0 without a cache).
  uint64_t cache_file_id() const { return file_id_; }

  // The decompressed block `block_index` of stream `stream_index` (both in range: asserted),
  // from the cache when present. Corruption naming the block, stream, path and offset when its
  // checksum, compression or entries are bad; IOError when reading fails.
  Result<std::shared_ptr<const ChunkBlock>> ReadBlock(size_t stream_index,
                                                      size_t block_index) const;
  // As above with `options`; nullptr (not an error) when options.filter rejected the block, in
  // which case its entries were not parsed (the checksum and decompression were checked).
  Result<std::shared_ptr<const ChunkBlock>> ReadBlock(size_t stream_index, size_t block_index,
                                                      const BlockReadOptions& options) const;
  // The block's bloom filter, or nullopt when it was written without one. Corruption as for
  // ReadBlock; the block itself may still be readable.
  Result<std::optional<bloom::BloomFilter>> ReadBloom(size_t stream_index,
                                                      size_t block_index) const;
  // False only when the block's bloom proves no line of it contains `literal` (bloom_query.h);
  // true when it has no bloom. A corrupt bloom is an error: the caller should then read the
  // block (which has its own checksum) rather than skip it.
  Result<bool> BlockMayContainLiteral(size_t stream_index, size_t block_index,
                                      std::string_view literal) const;

 private:
  ChunkReader(const fs::RandomAccessFile* file, ChunkReaderOptions options);

  Status ReadExact(uint64_t offset, size_t size, std::string* out) const;
  // Reads exactly `size` bytes into `out`, which has room for them.
  Status ReadExact(uint64_t offset, size_t size, char* out) const;
  Status Load();
  Status LoadFooter(uint64_t file_size);
  Status LoadHeader();
  Status LoadDirectory();
  Status CheckDirectoryAgainstFooter() const;
  Status CheckBlockPlacement(const StreamInfo& stream, size_t block_index) const;
  // Verifies, decompresses and (unless `filter` rejects the bytes: nullptr) parses one block's
  // bytes; Corruption without location.
  Result<std::shared_ptr<const ChunkBlock>> DecodeBlock(
      const BlockInfo& info, std::string_view compressed,
      const DecompressedBlockFilter* filter) const;
  Status BlockError(size_t stream_index, size_t block_index, uint64_t offset,
                    std::string_view problem) const;
  void Count(std::atomic<uint64_t> ChunkReadCounters::*counter, uint64_t n = 1) const;

  const fs::RandomAccessFile* const file_;
  const ChunkReaderOptions options_;
  uint64_t file_id_ = 0;
  ChunkHeader header_;
  ChunkFooter footer_;
  std::vector<StreamInfo> streams_;
  std::vector<std::pair<uint64_t, size_t>> by_fingerprint_;  // sorted
};

}  // namespace silt::store
