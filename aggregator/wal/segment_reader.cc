#include "aggregator/wal/segment_reader.h"

#include <algorithm>
#include <utility>

#include "shared/hash/xxh3.h"

namespace silt::wal {
namespace {

// Bytes read at a time; a record longer than this is read in one piece.
constexpr size_t kReadChunk = size_t{1} << 20;

bool IsAllZero(std::string_view bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](char c) { return c == 0; });
}

}  // namespace

SegmentReader::SegmentReader(std::unique_ptr<fs::RandomAccessFile> file, uint64_t size,
                             uint32_t max_payload_bytes, bool is_last)
    : file_(std::move(file)),
      path_(file_->path()),
      size_(size),
      max_payload_bytes_(max_payload_bytes),
      is_last_(is_last),
      header_window_(kReadChunk) {}

Result<std::unique_ptr<SegmentReader>> SegmentReader::Open(fs::FileSystem* fs,
                                                           const std::string& path,
                                                           uint32_t max_payload_bytes,
                                                           bool is_last) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::RandomAccessFile> file, fs->NewRandomAccessFile(path));
  SILT_ASSIGN_OR_RETURN(uint64_t size, file->Size());
  return std::unique_ptr<SegmentReader>(
      new SegmentReader(std::move(file), size, max_payload_bytes, is_last));
}

Result<std::string_view> SegmentReader::Fetch(uint64_t offset, size_t n) {
  return Fetch(offset, n, kReadChunk);
}

Result<std::string_view> SegmentReader::Fetch(uint64_t offset, size_t n, size_t window) {
  if (offset >= size_) return std::string_view();
  n = static_cast<size_t>(std::min<uint64_t>(n, size_ - offset));
  if (offset >= buffer_offset_ && offset + n <= buffer_offset_ + buffer_.size()) {
    return std::string_view(buffer_).substr(offset - buffer_offset_, n);
  }
  size_t want = static_cast<size_t>(std::min<uint64_t>(std::max(n, window), size_ - offset));
  buffer_.resize(want);
  buffer_offset_ = offset;
  SILT_ASSIGN_OR_RETURN(size_t got, file_->Read(offset, want, buffer_.data()));
  buffer_.resize(got);
  return std::string_view(buffer_).substr(0, std::min(n, got));
}

Result<bool> SegmentReader::AllZeroFrom(uint64_t offset) {
  while (offset < size_) {
    SILT_ASSIGN_OR_RETURN(std::string_view chunk, Fetch(offset, kReadChunk));
    if (chunk.empty()) break;  // the file shrank under us; nothing more to look at
    if (!IsAllZero(chunk)) return false;
    offset += chunk.size();
  }
  return true;
}

Result<SegmentReader::HeaderResult> SegmentReader::ReadHeader(uint64_t name_sequence) {
  HeaderResult result;
  if (size_ < kSegmentHeaderSize) {
    result.state = HeaderState::kIncomplete;
    result.reason = "file is " + std::to_string(size_) + " bytes, shorter than the " +
                    std::to_string(kSegmentHeaderSize) + "-byte segment header";
    return result;
  }
  SILT_ASSIGN_OR_RETURN(std::string_view bytes, Fetch(0, kSegmentHeaderSize));
  if (IsAllZero(bytes)) {
    result.state = HeaderState::kIncomplete;
    result.reason = "segment header is all zero bytes";
    return result;
  }
  Result<SegmentHeader> header = DecodeSegmentHeader(bytes);
  if (!header.ok()) {
    if (header.status().code() != StatusCode::kCorruption) {
      return header.status().WithContext("WAL segment " + path_);
    }
    result.state = HeaderState::kBad;
    result.reason = std::string(header.status().message());
    return result;
  }
  if (header->first_sequence != name_sequence) {
    result.state = HeaderState::kBad;
    result.reason = "segment header says first sequence " + std::to_string(header->first_sequence) +
                    " but the file name says " + std::to_string(name_sequence);
    return result;
  }
  result.header = *header;
  return result;
}

Result<SegmentReader::Item> SegmentReader::Tail(ProblemKind kind, std::string reason) {
  Item item;
  item.kind = Item::Kind::kDamage;
  item.offset = pos_;
  item.bytes = size_ - pos_;
  item.is_tail = true;
  SILT_ASSIGN_OR_RETURN(bool zero, AllZeroFrom(pos_));
  if (zero) {
    item.problem = ProblemKind::kZeroTail;
    item.reason = "zero bytes from here to the end of the file";
  } else {
    item.problem = kind;
    item.reason = std::move(reason);
  }
  pos_ = size_;
  return item;
}

Result<SegmentReader::Item> SegmentReader::Resync(ProblemKind kind, std::string reason,
                                                  uint64_t last_sequence) {
  SILT_ASSIGN_OR_RETURN(bool zero, AllZeroFrom(pos_));
  if (zero) return Tail(kind, std::move(reason));
  for (uint64_t candidate = pos_ + 1; candidate + kRecordHeaderSize <= size_; ++candidate) {
    SILT_ASSIGN_OR_RETURN(std::string_view bytes, Fetch(candidate, kRecordHeaderSize));
    std::optional<RecordHeader> header = DecodeRecordHeader(bytes);
    if (!header || header->sequence <= last_sequence) continue;
    if (header->payload_length > max_payload_bytes_) continue;
    Item item;
    item.kind = Item::Kind::kDamage;
    item.problem = kind;
    item.offset = pos_;
    item.bytes = candidate - pos_;
    item.reason = std::move(reason) + "; resynchronised at the next intact record header (offset " +
                  std::to_string(candidate) + ", sequence " + std::to_string(header->sequence) +
                  ")";
    pos_ = candidate;
    return item;
  }
  reason += "; no intact record header follows";
  return Tail(is_last_ ? ProblemKind::kTornTail : kind, std::move(reason));
}

Result<SegmentReader::Item> SegmentReader::Next(uint64_t last_sequence,
                                                uint64_t unchecked_through) {
  if (pos_ >= size_) return Item{};
  if (size_ - pos_ < kRecordHeaderSize) {
    return Tail(ProblemKind::kTornTail, "file ends inside a record header (" +
                                            std::to_string(size_ - pos_) + " of " +
                                            std::to_string(kRecordHeaderSize) + " bytes)");
  }
  SILT_ASSIGN_OR_RETURN(std::string_view bytes, Fetch(pos_, kRecordHeaderSize, header_window_));
  header_window_ = kReadChunk;
  std::optional<RecordHeader> header = DecodeRecordHeader(bytes);
  if (!header)
    return Resync(ProblemKind::kBadHeader, DescribeBadRecordHeader(bytes), last_sequence);
  if (header->payload_length > max_payload_bytes_) {
    return Resync(ProblemKind::kBadLength,
                  "record header (sequence " + std::to_string(header->sequence) +
                      ") has payload length " + std::to_string(header->payload_length) +
                      ", over the limit of " + std::to_string(max_payload_bytes_),
                  last_sequence);
  }
  uint64_t end = pos_ + kRecordHeaderSize + header->payload_length;
  if (end > size_) {
    return Tail(ProblemKind::kTornTail, "record " + std::to_string(header->sequence) + " needs " +
                                            std::to_string(end - pos_) +
                                            " bytes but the file ends after " +
                                            std::to_string(size_ - pos_));
  }
  Item item;
  item.kind = Item::Kind::kRecord;
  item.offset = pos_;
  item.header = *header;
  if (header->sequence <= unchecked_through && !(is_last_ && end == size_)) {
    item.payload_unchecked = true;
    if (header->payload_length >= kReadChunk) header_window_ = kRecordHeaderSize;
    pos_ = end;
    return item;
  }
  SILT_ASSIGN_OR_RETURN(std::string_view payload,
                        Fetch(pos_ + kRecordHeaderSize, header->payload_length));
  if (payload.size() != header->payload_length) {
    return Status::IOError("WAL segment " + path_ + ": short read at offset " +
                           std::to_string(pos_ + kRecordHeaderSize));
  }
  if (hash::Xxh3(payload) != header->payload_hash) return BadPayload(*header, end);
  item.payload = payload;
  pos_ = end;
  return item;
}

Result<SegmentReader::Item> SegmentReader::BadPayload(const RecordHeader& header, uint64_t end) {
  if (is_last_ && end == size_) {
    return Tail(ProblemKind::kTornTail, "the last record (sequence " +
                                            std::to_string(header.sequence) +
                                            ") has a payload checksum mismatch: a write cut short");
  }
  Item item;
  item.kind = Item::Kind::kDamage;
  item.problem = ProblemKind::kBadPayload;
  item.offset = pos_;
  item.bytes = end - pos_;
  item.header = header;
  item.reason = "payload checksum mismatch in record " + std::to_string(header.sequence) + " (" +
                std::to_string(header.payload_length) + " bytes); record skipped";
  pos_ = end;
  return item;
}

}  // namespace silt::wal
