// ChunkWriter: writes one chunk file (chunk_format.h, docs/formats/chunk.md) front to back into
// a WritableFile: the header, then per stream its entries cut into blocks of about
// target_block_size uncompressed bytes (each compressed, checksummed, with a bloom filter of its
// terms), then the stream directory and the footer. Memory: one block being built plus the
// directory (about 64 bytes per block and the labels of each stream).
//
//   SILT_ASSIGN_OR_RETURN(auto writer, ChunkWriter::Create(file, options));
//   SILT_RETURN_IF_ERROR(writer->BeginStream(labels));
//   SILT_RETURN_IF_ERROR(writer->Append(ts, line, metadata));   // timestamps non-decreasing
//   SILT_RETURN_IF_ERROR(writer->EndStream());
//   SILT_RETURN_IF_ERROR(writer->Finish(wal_seq_hi));          // then Sync and Close the file
//
// WriteChunkFile wraps this in temp file + Sync + rename + directory sync.
//
// Errors: a rejected call (bad input, wrong order) returns InvalidArgument and changes nothing;
// an I/O error is sticky: every later call returns it and the file must be discarded.
// Thread-safety: one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "aggregator/bloom/bloom_filter.h"
#include "aggregator/store/block_compression.h"
#include "aggregator/store/chunk_block_builder.h"
#include "aggregator/store/chunk_format.h"
#include "aggregator/store/chunk_layout.h"
#include "shared/fs/file_system.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::store {

struct ChunkWriterOptions {
  std::string tenant = "fake";
  // Entries must have partition_start <= timestamp < partition_end. Unbounded by default.
  int64_t partition_start = kUnboundedPartitionStart;
  int64_t partition_end = kUnboundedPartitionEnd;
  Codec codec = Codec::kLz4;
  int zstd_level = 3;  // used with Codec::kZstd
  // A block is cut before an entry that would take it past this many uncompressed bytes (a
  // single larger entry gets a block of its own). 4 KiB .. 64 MiB.
  size_t target_block_size = kDefaultTargetBlockSize;
  bool build_blooms = true;
  double bloom_false_positive_rate = bloom::kDefaultFalsePositiveRate;  // in (0, 0.5]
};

// InvalidArgument naming the first bad option.
Status ValidateChunkWriterOptions(const ChunkWriterOptions& options);

// What a writer has produced so far.
struct ChunkWriterStats {
  uint64_t streams = 0;
  uint64_t blocks = 0;
  uint64_t entries = 0;
  uint64_t line_bytes = 0;          // sum of line sizes as appended
  uint64_t uncompressed_bytes = 0;  // encoded entries before compression
  uint64_t compressed_bytes = 0;    // block bytes in the file
  uint64_t bloom_bytes = 0;
  uint64_t file_bytes = 0;  // everything appended to the file
};

class ChunkWriter {
 public:
  // Validates `options` and writes the header. `file` must be empty and outlive the writer.
  static Result<std::unique_ptr<ChunkWriter>> Create(fs::WritableFile* file,
                                                     ChunkWriterOptions options);

  ChunkWriter(const ChunkWriter&) = delete;
  ChunkWriter& operator=(const ChunkWriter&) = delete;

  // Starts the next stream. InvalidArgument when a stream is open, when `labels` is empty, or
  // when the stream (or another with the same fingerprint) was already written to this chunk.
  Status BeginStream(const labels::LabelSet& labels);
  // Adds an entry to the open stream. InvalidArgument when no stream is open, when `timestamp`
  // is before the stream's previous entry (equal is fine and keeps insertion order) or outside
  // the partition, or when the entry would not fit in kMaxBlockSize.
  Status Append(int64_t timestamp, std::string_view line,
                std::span<const labels::LabelView> metadata = {});
  // Append of an entry already encoded as an EntryArena entry (`encoded`, entry_arena.h: what a
  // block stores after the timestamp delta) with its `line` and `metadata` decoded from it (for
  // the bloom filter): the same checks and the same bytes, without encoding the entry again.
  Status AppendEncoded(int64_t timestamp, std::string_view encoded, std::string_view line,
                       std::span<const labels::LabelView> metadata);
  // Writes the stream's last block. A stream without entries leaves no trace in the file.
  Status EndStream();
  // Writes the directory and the footer. `wal_seq_hi`: every WAL record with a sequence number
  // up to it that touched this tenant and partition is fully contained in this chunk. The caller
  // then syncs and closes the file. InvalidArgument when a stream is still open.
  Status Finish(uint64_t wal_seq_hi);

  const ChunkWriterStats& stats() const { return stats_; }

 private:
  ChunkWriter(fs::WritableFile* file, ChunkWriterOptions options);

  Status CheckUsable(std::string_view call) const;
  Status CheckEntry(int64_t timestamp, size_t encoded_size) const;
  // The checks of Append for an entry of at most `encoded_size` bytes; seals the current block
  // when the entry would take it past the target size.
  Status PrepareAppend(int64_t timestamp, size_t encoded_size);
  Status Write(std::string_view bytes);
  Status SealBlock();

  fs::WritableFile* const file_;
  const ChunkWriterOptions options_;
  BlockCompressor compressor_;
  ChunkBlockBuilder builder_;
  Status io_status_;
  bool finished_ = false;
  bool in_stream_ = false;
  StreamInfo current_;
  std::vector<StreamInfo> streams_;
  std::unordered_set<uint64_t> fingerprints_;
  ChunkFooter footer_;
  ChunkWriterStats stats_;
  std::string scratch_;
};

// Writes the chunk file `dir`/`name` so that, even across a crash, it exists complete or not at
// all: creates `dir`/`name`.tmp (replacing a leftover one), passes a writer on it to `fill`
// (which begins, appends and ends streams), calls Finish(wal_seq_hi), syncs and closes the file,
// renames it to `name` and syncs `dir` (which must exist). Returns the writer's stats. On failure
// returns the first error (from `fill` or the file system) and removes the temp file as far as
// possible; only when the final directory sync fails is the file already visible under `name`
// (a crash may still take it away), so the caller must not treat the data as durable.
Result<ChunkWriterStats> WriteChunkFile(fs::FileSystem* fs, const std::string& dir,
                                        const std::string& name, const ChunkWriterOptions& options,
                                        uint64_t wal_seq_hi,
                                        const std::function<Status(ChunkWriter&)>& fill);

}  // namespace silt::store
