// Constants of the partition index file, `<partition dir>/index.silt`: the chunk files it covers,
// every stream with its labels and per-chunk block references, and the postings. The grammar,
// invariants and a worked example are in docs/formats/index.md; change that document in the same
// commit as anything here. Integers are little-endian; `varint` is LEB128 in its shortest form.
//
//   file     := header chunks streams postings footer         (sections back to back from 0)
//   header   := "SIDX" u8 version u8 flags(0) u16 tenant_length i64 partition_start
//               i64 partition_end tenant-bytes                               (24 + tenant_length)
//   chunks   := u32 chunk_count chunk* u32 skipped_count skipped*          (each by name, sorted)
//   chunk    := u16 name_length name u64 file_size u64 footer_checksum u64 wal_seq_hi i64 min_ts
//               i64 max_ts u64 entry_count u32 stream_count u32 block_count
//   skipped  := u16 name_length name u64 file_size u16 reason_length reason
//   streams  := varint stream_count stream*                          (by fingerprint, ascending)
//   stream   := u64 fingerprint varint labels_length labels varint ref_count ref*
//   ref      := varint chunk_ordinal varint stream_index varint block_count block*
//   block    := i64 min_ts i64 max_ts varint entry_count varint compressed_size
//               varint uncompressed_size
//   postings := varint name_count name*                                   (names, values sorted)
//   name     := varint name_length name-bytes varint value_count value*
//   value    := varint value_length value-bytes varint posting_count varint first_ordinal
//               varint ordinal_delta*                       (stream ordinals, strictly ascending)
//   footer (92 bytes) := u64 header_size u64 header_checksum u64 chunks_size u64 chunks_checksum
//               u64 streams_size u64 streams_checksum u64 postings_size u64 postings_checksum
//               u32 chunk_count u32 skipped_count u32 stream_count u32 version
//               u64 footer_checksum "SIDX"
//
// Checksums are XXH3-64 (seed 0) of the section's bytes. Everything here is constexpr; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace silt::index {

inline constexpr std::string_view kIndexFileName = "index.silt";
inline constexpr std::string_view kIndexMagic = "SIDX";
inline constexpr uint8_t kIndexFormatVersion = 1;

// Header.
inline constexpr size_t kIndexHeaderFixedSize = 24;
inline constexpr size_t kIndexHeaderVersionOffset = 4;
inline constexpr size_t kIndexHeaderFlagsOffset = 5;
inline constexpr size_t kIndexHeaderTenantLengthOffset = 6;
inline constexpr size_t kIndexHeaderPartitionStartOffset = 8;
inline constexpr size_t kIndexHeaderPartitionEndOffset = 16;

// Chunks section.
inline constexpr size_t kChunkEntryFixedSize = 2 + 8 + 8 + 8 + 8 + 8 + 8 + 4 + 4;  // + name
inline constexpr size_t kSkippedEntryFixedSize = 2 + 8 + 2;                        // + name, reason
inline constexpr size_t kMaxChunkNameLength = 255;
inline constexpr size_t kMaxSkipReasonLength = 1024;

// Streams section: the smallest stream (fingerprint, 1-byte lengths and counts, one ref with one
// block of 1-byte varints) and the smallest block, to bound counts before allocating.
inline constexpr size_t kMinBlockSize = 8 + 8 + 1 + 1 + 1;
inline constexpr size_t kMinStreamSize = 8 + 1 + 1 + 1 + 3 + kMinBlockSize;

// Footer.
inline constexpr size_t kIndexFooterSize = 92;
inline constexpr size_t kIndexFooterCountsOffset = 64;
inline constexpr size_t kIndexFooterVersionOffset = 76;
inline constexpr size_t kIndexFooterChecksumOffset = 80;  // XXH3-64 of footer bytes [0, 80)
inline constexpr size_t kIndexFooterMagicOffset = 88;

// The smallest well-formed file: empty tenant, no chunks, no streams, no postings.
inline constexpr size_t kMinIndexFileSize = kIndexHeaderFixedSize + 8 + 1 + 1 + kIndexFooterSize;

}  // namespace silt::index
