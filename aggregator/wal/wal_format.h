// Constants and codecs of the WAL on-disk format. The grammar, invariants, recovery rules and a
// worked example are in docs/formats/wal.md; change that document in the same commit as anything
// here.
//
// A WAL directory holds segment files named "<16-digit zero-padded first sequence>.wal", a
// "checkpoint" file (checkpoint.h) and a "LOCK" file. Integers are little-endian.
//
//   segment header (32 bytes)          record header (32 bytes), then the payload
//   0   4  magic "WLOG"                 0   4  payload length
//   4   1  version (1)                  4   1  type
//   5   3  reserved, zero               5   3  reserved, zero
//   8   8  first sequence number        8   8  sequence number
//   16  8  created, wall ns (i64)       16  8  XXH3-64 of the payload
//   24  4  reserved, zero               24  4  reserved, zero
//   28  4  low 32 bits of XXH3-64       28  4  low 32 bits of XXH3-64 of bytes 0..27
//          of bytes 0..27
//
// Everything here is constexpr or a pure function; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::wal {

inline constexpr char kSegmentMagic[4] = {'W', 'L', 'O', 'G'};
inline constexpr uint8_t kSegmentVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 32;
inline constexpr size_t kRecordHeaderSize = 32;

// Segment header field offsets.
inline constexpr size_t kSegmentVersionOffset = 4;
inline constexpr size_t kSegmentFirstSequenceOffset = 8;
inline constexpr size_t kSegmentCreatedOffset = 16;
inline constexpr size_t kSegmentCheckOffset = 28;

// Record header field offsets.
inline constexpr size_t kRecordLengthOffset = 0;
inline constexpr size_t kRecordTypeOffset = 4;
inline constexpr size_t kRecordSequenceOffset = 8;
inline constexpr size_t kRecordPayloadHashOffset = 16;
inline constexpr size_t kRecordCheckOffset = 28;

inline constexpr uint64_t kDefaultMaxSegmentBytes = uint64_t{64} << 20;
inline constexpr uint32_t kDefaultMaxPayloadBytes = uint32_t{64} << 20;

// Segment file names: exactly kSegmentNameDigits decimal digits, then kSegmentSuffix. Sequence
// numbers start at 1; the largest one a name can carry is kMaxSequence.
inline constexpr size_t kSegmentNameDigits = 16;
inline constexpr std::string_view kSegmentSuffix = ".wal";
inline constexpr uint64_t kMaxSequence = 9'999'999'999'999'999;
inline constexpr std::string_view kCheckpointFileName = "checkpoint";
inline constexpr std::string_view kLockFileName = "LOCK";

struct SegmentHeader {
  uint64_t first_sequence = 0;
  int64_t created_wall_ns = 0;
};

struct RecordHeader {
  uint32_t payload_length = 0;
  uint8_t type = 0;
  uint64_t sequence = 0;
  uint64_t payload_hash = 0;
};

// Little-endian fixed-width integers at `p`, independent of the host's byte order.
void PutFixed32(char* p, uint32_t value);
void PutFixed64(char* p, uint64_t value);
uint32_t GetFixed32(const char* p);
uint64_t GetFixed64(const char* p);

// Low 32 bits of XXH3-64 over the first 28 bytes at `p`: the check of both header kinds.
uint32_t HeaderCheck(const char* p);

// Appends the 32-byte segment header to `out`.
void AppendSegmentHeader(const SegmentHeader& header, std::string* out);
// Decodes a segment header from the first kSegmentHeaderSize bytes of `bytes`. Corruption (with
// the reason) when the size, magic, check or reserved bytes are wrong; InvalidArgument when the
// check holds but the version is one this build does not know (written by a newer release).
Result<SegmentHeader> DecodeSegmentHeader(std::string_view bytes);

// Writes a 32-byte record header to `out` (32 writable bytes).
void EncodeRecordHeader(const RecordHeader& header, char* out);
// Appends a 32-byte record header to `out`.
void AppendRecordHeader(const RecordHeader& header, std::string* out);
// Appends a whole record (header, then `payload`) to `out`. `payload` must fit in a u32.
void AppendRecord(uint8_t type, uint64_t sequence, std::string_view payload, std::string* out);
// Sets the sequence number of the encoded record header at `header` (32 writable bytes) and
// recomputes its check.
void SetRecordSequence(char* header, uint64_t sequence);
// The header in the first 32 bytes of `bytes`, or nullopt when they are not an intact header:
// the check does not match, a reserved byte is set, or the sequence number is outside
// 1..kMaxSequence. The payload length is not checked against any limit here.
std::optional<RecordHeader> DecodeRecordHeader(std::string_view bytes);
// Why DecodeRecordHeader rejects `bytes` (at least 32 of them), for recovery reports.
std::string DescribeBadRecordHeader(std::string_view bytes);

// "0000000000000042.wal" for 42. Precondition: first_sequence <= kMaxSequence.
std::string SegmentFileName(uint64_t first_sequence);
// The first sequence number a segment file name carries, or nullopt when `name` is not exactly
// kSegmentNameDigits digits followed by kSegmentSuffix.
std::optional<uint64_t> ParseSegmentFileName(std::string_view name);

}  // namespace silt::wal
