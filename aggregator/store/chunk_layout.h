// The metadata parts of a chunk file as values, with their encoders and decoders: the header
// (what the file is), the stream directory (where every block is and what it holds) and the
// footer (where the directory is, checksums, and the totals known only when writing ends).
// Layout in chunk_format.h and docs/formats/chunk.md.
//
// Decoders take untrusted bytes: they check every length against the input and every field
// against the format's invariants, and return Corruption naming the field and its offset within
// the part (the reader adds the path and the part's offset in the file). Stateless; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_format.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::store {

struct ChunkHeader {
  Codec codec = Codec::kLz4;
  std::string tenant;
  // Entries have partition_start <= timestamp < partition_end.
  int64_t partition_start = kUnboundedPartitionStart;
  int64_t partition_end = kUnboundedPartitionEnd;
  // The format version read (chunk_format.h); EncodeHeader always writes kChunkFormatVersion.
  uint8_t version = kChunkFormatVersion;
};

// What a reader needs to pick a block without touching its bytes.
struct BlockInfo {
  uint64_t offset = 0;  // of the compressed entries
  uint32_t compressed_size = 0;
  uint32_t uncompressed_size = 0;
  uint64_t checksum = 0;  // XXH3-64 of the compressed entries
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint32_t entry_count = 0;
  uint32_t bloom_size = 0;  // 0: the block has no bloom filter
  uint64_t bloom_offset = 0;
  uint64_t bloom_checksum = 0;  // XXH3-64 of the serialized filter
  friend bool operator==(const BlockInfo&, const BlockInfo&) = default;
};

struct StreamInfo {
  labels::LabelSet labels;
  uint64_t fingerprint = 0;  // labels.Fingerprint()
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint64_t entry_count = 0;
  std::vector<BlockInfo> blocks;  // in timestamp order
};

struct ChunkFooter {
  uint64_t header_size = 0;
  uint64_t header_checksum = 0;
  uint64_t directory_offset = 0;
  uint64_t directory_size = 0;
  uint64_t directory_checksum = 0;
  // Every WAL record with sequence <= wal_seq_hi that touched this tenant and partition is fully
  // contained in this chunk (0: no WAL records).
  uint64_t wal_seq_hi = 0;
  int64_t min_ts = 0;  // over all entries; 0 and 0 when the chunk is empty
  int64_t max_ts = 0;
  uint64_t entry_count = 0;
  uint32_t stream_count = 0;
  uint32_t block_count = 0;
  // The format version read; EncodeFooter always writes kChunkFormatVersion.
  uint8_t version = kChunkFormatVersion;
  friend bool operator==(const ChunkFooter&, const ChunkFooter&) = default;
};

// InvalidArgument unless `tenant` is a valid tenant id: [a-zA-Z0-9_.-]{1,64}, not "." or "..".
Status ValidateTenant(std::string_view tenant);

void EncodeHeader(const ChunkHeader& header, std::string* out);
// Decodes a header that is exactly `bytes` long (its size comes from the footer).
Result<ChunkHeader> DecodeHeader(std::string_view bytes);

// Appends the footer; computes its checksum.
void EncodeFooter(const ChunkFooter& footer, std::string* out);
// Decodes the last kFooterSize bytes of a file: magic, version, checksum.
Result<ChunkFooter> DecodeFooter(std::string_view bytes);

void EncodeDirectory(std::span<const StreamInfo> streams, std::string* out);
// Decodes a directory and checks what it can on its own: lengths, canonical labels matching
// their fingerprint, no stream twice, per-block min_ts <= max_ts and entry_count >= 1, blocks in
// timestamp order, stream totals equal to the sums of their blocks. Placement of blocks within
// the file is checked by the reader, which knows the file's layout.
Result<std::vector<StreamInfo>> DecodeDirectory(std::string_view bytes);

}  // namespace silt::store
