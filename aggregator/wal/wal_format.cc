#include "aggregator/wal/wal_format.h"

#include <cassert>
#include <cstdio>
#include <cstring>

#include "shared/hash/xxh3.h"

namespace silt::wal {
namespace {

bool AllZero(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i] != 0) return false;
  }
  return true;
}

std::string Hex32(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", value);
  return buf;
}

}  // namespace

void PutFixed32(char* p, uint32_t value) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(value >> (8 * i));
}

void PutFixed64(char* p, uint64_t value) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(value >> (8 * i));
}

uint32_t GetFixed32(const char* p) {
  uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(p[i]);
  return value;
}

uint64_t GetFixed64(const char* p) {
  uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<uint8_t>(p[i]);
  return value;
}

uint32_t HeaderCheck(const char* p) {
  return static_cast<uint32_t>(hash::Xxh3(p, kSegmentCheckOffset));
}

void AppendSegmentHeader(const SegmentHeader& header, std::string* out) {
  char buf[kSegmentHeaderSize] = {};
  std::memcpy(buf, kSegmentMagic, sizeof(kSegmentMagic));
  buf[kSegmentVersionOffset] = static_cast<char>(kSegmentVersion);
  PutFixed64(buf + kSegmentFirstSequenceOffset, header.first_sequence);
  PutFixed64(buf + kSegmentCreatedOffset, static_cast<uint64_t>(header.created_wall_ns));
  PutFixed32(buf + kSegmentCheckOffset, HeaderCheck(buf));
  out->append(buf, sizeof(buf));
}

Result<SegmentHeader> DecodeSegmentHeader(std::string_view bytes) {
  if (bytes.size() < kSegmentHeaderSize) {
    return Status::Corruption("segment header is " + std::to_string(bytes.size()) +
                              " bytes, needs " + std::to_string(kSegmentHeaderSize));
  }
  const char* p = bytes.data();
  if (std::memcmp(p, kSegmentMagic, sizeof(kSegmentMagic)) != 0) {
    return Status::Corruption("bad segment magic (expected \"WLOG\")");
  }
  uint32_t stored = GetFixed32(p + kSegmentCheckOffset);
  uint32_t computed = HeaderCheck(p);
  if (stored != computed) {
    return Status::Corruption("segment header check mismatch (stored " + Hex32(stored) +
                              ", computed " + Hex32(computed) + ")");
  }
  uint8_t version = static_cast<uint8_t>(p[kSegmentVersionOffset]);
  if (version != kSegmentVersion) {
    return Status::InvalidArgument("segment format version " + std::to_string(version) +
                                   " is not supported (this build reads version " +
                                   std::to_string(kSegmentVersion) +
                                   "); run the release that wrote it");
  }
  if (!AllZero(p + 5, 3) || !AllZero(p + 24, 4)) {
    return Status::Corruption("segment header has non-zero reserved bytes");
  }
  SegmentHeader header;
  header.first_sequence = GetFixed64(p + kSegmentFirstSequenceOffset);
  header.created_wall_ns = static_cast<int64_t>(GetFixed64(p + kSegmentCreatedOffset));
  if (header.first_sequence == 0) {
    return Status::Corruption("segment header has first sequence number 0");
  }
  return header;
}

void EncodeRecordHeader(const RecordHeader& header, char* out) {
  std::memset(out, 0, kRecordHeaderSize);
  PutFixed32(out + kRecordLengthOffset, header.payload_length);
  out[kRecordTypeOffset] = static_cast<char>(header.type);
  PutFixed64(out + kRecordSequenceOffset, header.sequence);
  PutFixed64(out + kRecordPayloadHashOffset, header.payload_hash);
  PutFixed32(out + kRecordCheckOffset, HeaderCheck(out));
}

void AppendRecordHeader(const RecordHeader& header, std::string* out) {
  char buf[kRecordHeaderSize];
  EncodeRecordHeader(header, buf);
  out->append(buf, sizeof(buf));
}

void AppendRecord(uint8_t type, uint64_t sequence, std::string_view payload, std::string* out) {
  assert(payload.size() <= UINT32_MAX);
  RecordHeader header;
  header.payload_length = static_cast<uint32_t>(payload.size());
  header.type = type;
  header.sequence = sequence;
  header.payload_hash = hash::Xxh3(payload);
  AppendRecordHeader(header, out);
  out->append(payload);
}

void SetRecordSequence(char* header, uint64_t sequence) {
  PutFixed64(header + kRecordSequenceOffset, sequence);
  PutFixed32(header + kRecordCheckOffset, HeaderCheck(header));
}

std::optional<RecordHeader> DecodeRecordHeader(std::string_view bytes) {
  if (bytes.size() < kRecordHeaderSize) return std::nullopt;
  const char* p = bytes.data();
  if (GetFixed32(p + kRecordCheckOffset) != HeaderCheck(p)) return std::nullopt;
  if (!AllZero(p + 5, 3) || !AllZero(p + 24, 4)) return std::nullopt;
  RecordHeader header;
  header.payload_length = GetFixed32(p + kRecordLengthOffset);
  header.type = static_cast<uint8_t>(p[kRecordTypeOffset]);
  header.sequence = GetFixed64(p + kRecordSequenceOffset);
  header.payload_hash = GetFixed64(p + kRecordPayloadHashOffset);
  if (header.sequence == 0 || header.sequence > kMaxSequence) return std::nullopt;
  return header;
}

std::string DescribeBadRecordHeader(std::string_view bytes) {
  if (bytes.size() < kRecordHeaderSize) return "record header is cut short";
  const char* p = bytes.data();
  uint32_t stored = GetFixed32(p + kRecordCheckOffset);
  uint32_t computed = HeaderCheck(p);
  if (stored != computed) {
    return "record header check mismatch (stored " + Hex32(stored) + ", computed " +
           Hex32(computed) + ")";
  }
  if (!AllZero(p + 5, 3) || !AllZero(p + 24, 4)) return "record header has non-zero reserved bytes";
  return "record header has sequence number " +
         std::to_string(GetFixed64(p + kRecordSequenceOffset)) + ", outside 1.." +
         std::to_string(kMaxSequence);
}

std::string SegmentFileName(uint64_t first_sequence) {
  assert(first_sequence <= kMaxSequence);
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%016llu", static_cast<unsigned long long>(first_sequence));
  return std::string(buf) + std::string(kSegmentSuffix);
}

std::optional<uint64_t> ParseSegmentFileName(std::string_view name) {
  if (name.size() != kSegmentNameDigits + kSegmentSuffix.size()) return std::nullopt;
  if (name.substr(kSegmentNameDigits) != kSegmentSuffix) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < kSegmentNameDigits; ++i) {
    char c = name[i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace silt::wal
