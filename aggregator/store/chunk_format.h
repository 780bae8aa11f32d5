// Constants of the Silt chunk file format: one file per (tenant, time partition) holding, per
// stream, a run of compressed blocks with a bloom filter each. The grammar, invariants and a
// worked example are in docs/formats/chunk.md; change that document in the same commit as
// anything here. All integers little-endian.
//
//   file      := header block-region* directory footer
//   header    := "LOGS" u8 version u8 codec u16 flags(0) i64 partition_start i64 partition_end
//                u16 tenant_length tenant-bytes                       (26 + tenant_length bytes)
//   block-region := compressed-entries [bloom]       (offsets and sizes are in the directory)
//   directory := u32 stream_count stream*
//   stream    := u64 fingerprint u32 labels_length labels-bytes i64 min_ts i64 max_ts
//                u64 entry_count u32 block_count block-entry*
//   block-entry (64 bytes) := u64 offset u32 compressed_size u32 uncompressed_size u64 checksum
//                i64 min_ts i64 max_ts u32 entry_count u32 bloom_size u64 bloom_offset
//                u64 bloom_checksum
//   footer (96 bytes) := u64 header_size u64 header_checksum u64 directory_offset
//                u64 directory_size u64 directory_checksum u64 wal_seq_hi i64 min_ts i64 max_ts
//                u64 entry_count u32 stream_count u32 block_count u32 version
//                u64 footer_checksum "LOGS"
//   block (decompressed, version 2) := line-bytes* entry-header* u32 headers_size
//   entry-header := varint ts_delta varint line_length varint metadata_count
//                (varint name_length name varint value_length value)*
//   (version 1, still read: block := entry*, entry := varint ts_delta varint line_length
//                line-bytes varint metadata_count (name, value)*)
//
// Everything here is constexpr; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

namespace silt::store {

inline constexpr std::string_view kChunkMagic = "LOGS";
// Written by this build. Version 2 stores a block's lines apart from their headers; version 1
// (headers and lines interleaved) is still read.
inline constexpr uint8_t kChunkFormatVersion = 2;
inline constexpr uint8_t kOldestChunkFormatVersion = 1;

// How a block's entry bytes are compressed. The value is the header's codec byte.
enum class Codec : uint8_t {
  kNone = 0,  // stored as is (tests, the worked example, debugging)
  kLz4 = 1,   // LZ4 block format (hot data; the default)
  kZstd = 2,  // Zstandard frame (compacted, cold data)
};
inline constexpr uint8_t kMaxCodec = 2;

// "none", "lz4", "zstd", or "unknown".
constexpr std::string_view CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNone:
      return "none";
    case Codec::kLz4:
      return "lz4";
    case Codec::kZstd:
      return "zstd";
  }
  return "unknown";
}

// Header.
inline constexpr size_t kHeaderFixedSize = 26;
inline constexpr size_t kHeaderVersionOffset = 4;
inline constexpr size_t kHeaderCodecOffset = 5;
inline constexpr size_t kHeaderFlagsOffset = 6;
inline constexpr size_t kHeaderPartitionStartOffset = 8;
inline constexpr size_t kHeaderPartitionEndOffset = 16;
inline constexpr size_t kHeaderTenantLengthOffset = 24;
inline constexpr size_t kMaxTenantLength = 64;
// A partition that does not restrict timestamps.
inline constexpr int64_t kUnboundedPartitionStart = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kUnboundedPartitionEnd = std::numeric_limits<int64_t>::max();

// Directory.
inline constexpr size_t kBlockEntrySize = 64;
inline constexpr size_t kStreamFixedSize = 8 + 4 + 8 + 8 + 8 + 4;  // without labels and blocks

// Footer.
inline constexpr size_t kFooterSize = 96;
inline constexpr size_t kFooterVersionOffset = 80;
inline constexpr size_t kFooterChecksumOffset = 84;  // XXH3-64 of footer bytes [0, 84)
inline constexpr size_t kFooterMagicOffset = 92;

// The smallest well-formed file: a one-byte tenant, an empty directory, the footer.
inline constexpr size_t kMinChunkFileSize = kHeaderFixedSize + 1 + 4 + kFooterSize;

// Blocks.
inline constexpr size_t kDefaultTargetBlockSize = 256 * 1024;
// No block decompresses to more than this; a writer refuses an entry that would not fit.
inline constexpr size_t kMaxBlockSize = 64 * 1024 * 1024;
// A version 2 block ends with the u32 size of its entry headers.
inline constexpr size_t kBlockTrailerSize = 4;

}  // namespace silt::store
