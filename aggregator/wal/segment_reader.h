// SegmentReader: walks one WAL segment file front to back and classifies its bytes as intact
// records or damage (torn or zero-filled tail, bad record header, bad length, bad payload),
// resynchronising after a bad header by scanning forward for the next intact one. It only reads;
// recovery (wal_recovery.h) decides what to replay and what to repair. The rules are in
// docs/formats/wal.md. Thread-compatible: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "aggregator/wal/recovery_report.h"
#include "aggregator/wal/wal_format.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::wal {

class SegmentReader {
 public:
  enum class HeaderState {
    kOk,
    kIncomplete,  // shorter than a segment header, or all zero: a crash while creating the file
    kBad,         // present but wrong (checksum, magic, reserved bytes, or not matching the name)
  };
  struct HeaderResult {
    HeaderState state = HeaderState::kOk;
    SegmentHeader header;
    std::string reason;  // for kIncomplete and kBad
  };

  struct Item {
    enum class Kind { kRecord, kDamage, kEnd };
    Kind kind = Kind::kEnd;
    // Byte offset of the record, or of the first damaged byte.
    uint64_t offset = 0;
    // kRecord, and kDamage of kind kBadPayload: the (intact) header.
    RecordHeader header;
    // kRecord: the payload, valid until the next call on this reader; empty when
    // payload_unchecked.
    std::string_view payload;
    // kRecord: the payload was neither read nor checked (Next's `unchecked_through`).
    bool payload_unchecked = false;
    // kDamage: what it is, how many bytes it spans from `offset`, and a reason for the report.
    ProblemKind problem = ProblemKind::kTornTail;
    uint64_t bytes = 0;
    std::string reason;
    // kDamage: it runs to the end of the file, so truncating at `offset` removes it.
    bool is_tail = false;
  };

  // Opens `path` for reading. `is_last` says whether this is the newest segment, where a crash
  // mid-write is expected: damage at its end is classified as a torn tail. NotFound or IOError
  // from the file system.
  static Result<std::unique_ptr<SegmentReader>> Open(fs::FileSystem* fs, const std::string& path,
                                                     uint32_t max_payload_bytes, bool is_last);

  // Reads and checks the segment header; `name_sequence` is the first sequence number the file
  // name carries. Must be called first, once. An error only for an I/O failure or a version this
  // build cannot read (InvalidArgument); damage is reported in the result.
  Result<HeaderResult> ReadHeader(uint64_t name_sequence);

  // The next record or damage after the previous one; kEnd at the end of the file (and forever
  // after). `last_sequence` is the highest sequence number accepted so far: resynchronisation
  // only accepts a header with a higher one. A record whose header is intact, whose sequence
  // number is <= `unchecked_through` and whose payload lies inside the file is returned without
  // reading or checking the payload (payload_unchecked), unless it is the last record of the
  // newest segment (always checked: a torn write shows there). Precondition: ReadHeader returned
  // kOk. An error only for an I/O failure.
  Result<Item> Next(uint64_t last_sequence, uint64_t unchecked_through = 0);

  uint64_t file_size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  SegmentReader(std::unique_ptr<fs::RandomAccessFile> file, uint64_t size,
                uint32_t max_payload_bytes, bool is_last);

  // Up to `n` bytes at `offset` (fewer only at end of file), valid until the next Fetch. Reads
  // at least `window` bytes when they are not buffered (kReadChunk unless told otherwise).
  Result<std::string_view> Fetch(uint64_t offset, size_t n, size_t window);
  Result<std::string_view> Fetch(uint64_t offset, size_t n);
  Result<bool> AllZeroFrom(uint64_t offset);
  // Damage from pos_ to the end of the file.
  Result<Item> Tail(ProblemKind kind, std::string reason);
  // After an unusable header at pos_: finds the next intact header and reports the bytes between
  // as damage of `kind`, or reports everything to the end as a tail.
  Result<Item> Resync(ProblemKind kind, std::string reason, uint64_t last_sequence);
  // The record at pos_ (ending at `end`) has an intact header but a payload that fails its
  // checksum: skipped, or a torn tail when it is the last record of the newest segment.
  Result<Item> BadPayload(const RecordHeader& header, uint64_t end);

  const std::unique_ptr<fs::RandomAccessFile> file_;
  const std::string path_;
  const uint64_t size_;
  const uint32_t max_payload_bytes_;
  const bool is_last_;
  uint64_t pos_ = kSegmentHeaderSize;
  // Bytes read around the next record header: the header alone after a skipped payload of a
  // read chunk or more (the chunk would be mostly payload nobody reads).
  size_t header_window_;
  std::string buffer_;
  uint64_t buffer_offset_ = 0;
};

}  // namespace silt::wal
