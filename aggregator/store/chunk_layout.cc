#include "aggregator/store/chunk_layout.h"

#include <set>
#include <utility>

#include "aggregator/store/binary_coding.h"
#include "shared/hash/xxh3.h"
#include "shared/labels/label_parser.h"

namespace silt::store {
namespace {

std::string At(std::string_view part, size_t offset) {
  return std::string(part) + " offset " + std::to_string(offset);
}

std::string ReadableVersions() {
  return " (this build reads versions " + std::to_string(kOldestChunkFormatVersion) + " to " +
         std::to_string(kChunkFormatVersion) + ")";
}

bool IsTenantByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '.' || c == '-';
}

void EncodeBlockInfo(const BlockInfo& block, std::string* out) {
  PutFixed64(block.offset, out);
  PutFixed32(block.compressed_size, out);
  PutFixed32(block.uncompressed_size, out);
  PutFixed64(block.checksum, out);
  PutFixed64(static_cast<uint64_t>(block.min_ts), out);
  PutFixed64(static_cast<uint64_t>(block.max_ts), out);
  PutFixed32(block.entry_count, out);
  PutFixed32(block.bloom_size, out);
  PutFixed64(block.bloom_offset, out);
  PutFixed64(block.bloom_checksum, out);
}

// Reads consecutive fixed-width fields from bytes whose size the caller has already checked.
class FixedFields {
 public:
  explicit FixedFields(const char* p) : p_(p) {}
  template <typename T>
  T Next() {
    T value = static_cast<T>(DecodeFixed(p_, sizeof(T)));
    p_ += sizeof(T);
    return value;
  }

 private:
  const char* p_;
};

// Precondition: `bytes` holds at least kBlockEntrySize bytes.
BlockInfo DecodeBlockInfo(std::string_view bytes) {
  FixedFields f(bytes.data());
  BlockInfo block;
  block.offset = f.Next<uint64_t>();
  block.compressed_size = f.Next<uint32_t>();
  block.uncompressed_size = f.Next<uint32_t>();
  block.checksum = f.Next<uint64_t>();
  block.min_ts = f.Next<int64_t>();
  block.max_ts = f.Next<int64_t>();
  block.entry_count = f.Next<uint32_t>();
  block.bloom_size = f.Next<uint32_t>();
  block.bloom_offset = f.Next<uint64_t>();
  block.bloom_checksum = f.Next<uint64_t>();
  return block;
}

Result<labels::LabelSet> DecodeLabels(std::string_view text, uint64_t fingerprint, size_t at) {
  Result<labels::LabelSet> parsed = labels::ParseLabels(text);
  if (!parsed.ok() || parsed->ToString() != text) {
    return Status::Corruption(At("directory", at) + ": stream labels are not in canonical form: " +
                              std::string(text.substr(0, 200)));
  }
  if (parsed->Fingerprint() != fingerprint) {
    return Status::Corruption(At("directory", at) + ": fingerprint does not match labels " +
                              std::string(text.substr(0, 200)));
  }
  return parsed;
}

Status CheckBlocks(const StreamInfo& stream, size_t at) {
  uint64_t entries = 0;
  for (size_t i = 0; i < stream.blocks.size(); ++i) {
    const BlockInfo& block = stream.blocks[i];
    if (block.entry_count == 0 || block.min_ts > block.max_ts ||
        (i > 0 && block.min_ts < stream.blocks[i - 1].max_ts)) {
      return Status::Corruption(At("directory", at) + ": block " + std::to_string(i) +
                                " of stream " + stream.labels.ToString() +
                                " has an impossible entry count or time range");
    }
    entries += block.entry_count;
  }
  if (stream.blocks.empty() || entries != stream.entry_count ||
      stream.min_ts != stream.blocks.front().min_ts ||
      stream.max_ts != stream.blocks.back().max_ts) {
    return Status::Corruption(At("directory", at) + ": totals of stream " +
                              stream.labels.ToString() + " do not match its blocks");
  }
  return Status::Ok();
}

Result<StreamInfo> DecodeStream(ByteReader* reader) {
  size_t at = reader->offset();
  StreamInfo stream;
  std::string_view labels_text;
  uint32_t labels_length = 0;
  uint32_t block_count = 0;
  if (!reader->ReadFixedAs(&stream.fingerprint) || !reader->ReadFixedAs(&labels_length) ||
      !reader->ReadBytes(labels_length, &labels_text) || !reader->ReadFixedAs(&stream.min_ts) ||
      !reader->ReadFixedAs(&stream.max_ts) || !reader->ReadFixedAs(&stream.entry_count) ||
      !reader->ReadFixedAs(&block_count)) {
    return Status::Corruption(At("directory", at) + ": stream entry is truncated");
  }
  if (block_count > reader->remaining() / kBlockEntrySize) {
    return Status::Corruption(At("directory", at) + ": " + std::to_string(block_count) +
                              " blocks do not fit in the directory");
  }
  SILT_ASSIGN_OR_RETURN(stream.labels, DecodeLabels(labels_text, stream.fingerprint, at));
  stream.blocks.reserve(block_count);
  for (uint32_t i = 0; i < block_count; ++i) {
    std::string_view entry;
    reader->ReadBytes(kBlockEntrySize, &entry);  // fits: checked against remaining() above
    stream.blocks.push_back(DecodeBlockInfo(entry));
  }
  SILT_RETURN_IF_ERROR(CheckBlocks(stream, at));
  return stream;
}

}  // namespace

Status ValidateTenant(std::string_view tenant) {
  bool bytes_ok = true;
  for (char c : tenant) bytes_ok &= IsTenantByte(c);
  if (tenant.empty() || tenant.size() > kMaxTenantLength || !bytes_ok || tenant == "." ||
      tenant == "..") {
    return Status::InvalidArgument("tenant id \"" + std::string(tenant.substr(0, 100)) +
                                   "\" is not valid: use 1 to 64 of [a-zA-Z0-9_.-], not . or ..");
  }
  return Status::Ok();
}

void EncodeHeader(const ChunkHeader& header, std::string* out) {
  out->append(kChunkMagic);
  PutFixed8(kChunkFormatVersion, out);
  PutFixed8(static_cast<uint8_t>(header.codec), out);
  PutFixed16(0, out);
  PutFixed64(static_cast<uint64_t>(header.partition_start), out);
  PutFixed64(static_cast<uint64_t>(header.partition_end), out);
  PutFixed16(static_cast<uint16_t>(header.tenant.size()), out);
  out->append(header.tenant);
}

Result<ChunkHeader> DecodeHeader(std::string_view bytes) {
  if (bytes.size() < kHeaderFixedSize || bytes.substr(0, 4) != kChunkMagic) {
    return Status::Corruption("header offset 0: no \"LOGS\" magic (not a chunk file)");
  }
  FixedFields f(bytes.data() + kHeaderVersionOffset);
  auto version = f.Next<uint8_t>();
  auto codec = f.Next<uint8_t>();
  auto flags = f.Next<uint16_t>();
  ChunkHeader header;
  header.partition_start = f.Next<int64_t>();
  header.partition_end = f.Next<int64_t>();
  auto tenant_length = f.Next<uint16_t>();
  if (version < kOldestChunkFormatVersion || version > kChunkFormatVersion) {
    return Status::Corruption(At("header", kHeaderVersionOffset) + ": unknown version " +
                              std::to_string(version) + ReadableVersions());
  }
  header.version = version;
  if (codec > kMaxCodec) {
    return Status::Corruption(At("header", kHeaderCodecOffset) + ": unknown codec " +
                              std::to_string(codec));
  }
  if (flags != 0) {
    return Status::Corruption(At("header", kHeaderFlagsOffset) + ": unknown flags " +
                              std::to_string(flags));
  }
  if (kHeaderFixedSize + tenant_length != bytes.size()) {
    return Status::Corruption(At("header", kHeaderTenantLengthOffset) + ": tenant length " +
                              std::to_string(tenant_length) + " does not match header size " +
                              std::to_string(bytes.size()));
  }
  header.codec = static_cast<Codec>(codec);
  header.tenant = std::string(bytes.substr(kHeaderFixedSize));
  if (!ValidateTenant(header.tenant).ok() || header.partition_start >= header.partition_end) {
    return Status::Corruption(At("header", kHeaderPartitionStartOffset) +
                              ": invalid tenant or partition range");
  }
  return header;
}

void EncodeFooter(const ChunkFooter& footer, std::string* out) {
  size_t start = out->size();
  for (uint64_t v :
       {footer.header_size, footer.header_checksum, footer.directory_offset, footer.directory_size,
        footer.directory_checksum, footer.wal_seq_hi, static_cast<uint64_t>(footer.min_ts),
        static_cast<uint64_t>(footer.max_ts), footer.entry_count}) {
    PutFixed64(v, out);
  }
  PutFixed32(footer.stream_count, out);
  PutFixed32(footer.block_count, out);
  PutFixed32(kChunkFormatVersion, out);
  PutFixed64(hash::Xxh3(std::string_view(*out).substr(start, kFooterChecksumOffset)), out);
  out->append(kChunkMagic);
}

Result<ChunkFooter> DecodeFooter(std::string_view bytes) {
  if (bytes.size() != kFooterSize || bytes.substr(kFooterMagicOffset) != kChunkMagic) {
    return Status::Corruption("footer offset " + std::to_string(kFooterMagicOffset) +
                              ": no \"LOGS\" magic at the end (truncated or not a chunk file)");
  }
  uint64_t version = DecodeFixed(bytes.data() + kFooterVersionOffset, 4);
  if (version < kOldestChunkFormatVersion || version > kChunkFormatVersion) {
    return Status::Corruption(At("footer", kFooterVersionOffset) + ": unknown version " +
                              std::to_string(version) + ReadableVersions());
  }
  uint64_t stored = DecodeFixed(bytes.data() + kFooterChecksumOffset, 8);
  if (hash::Xxh3(bytes.substr(0, kFooterChecksumOffset)) != stored) {
    return Status::Corruption(At("footer", kFooterChecksumOffset) + ": checksum mismatch");
  }
  FixedFields fields(bytes.data());
  ChunkFooter f;
  f.version = static_cast<uint8_t>(version);
  f.header_size = fields.Next<uint64_t>();
  f.header_checksum = fields.Next<uint64_t>();
  f.directory_offset = fields.Next<uint64_t>();
  f.directory_size = fields.Next<uint64_t>();
  f.directory_checksum = fields.Next<uint64_t>();
  f.wal_seq_hi = fields.Next<uint64_t>();
  f.min_ts = fields.Next<int64_t>();
  f.max_ts = fields.Next<int64_t>();
  f.entry_count = fields.Next<uint64_t>();
  f.stream_count = fields.Next<uint32_t>();
  f.block_count = fields.Next<uint32_t>();
  return f;
}

void EncodeDirectory(std::span<const StreamInfo> streams, std::string* out) {
  PutFixed32(static_cast<uint32_t>(streams.size()), out);
  for (const StreamInfo& stream : streams) {
    std::string labels = stream.labels.ToString();
    PutFixed64(stream.fingerprint, out);
    PutFixed32(static_cast<uint32_t>(labels.size()), out);
    out->append(labels);
    PutFixed64(static_cast<uint64_t>(stream.min_ts), out);
    PutFixed64(static_cast<uint64_t>(stream.max_ts), out);
    PutFixed64(stream.entry_count, out);
    PutFixed32(static_cast<uint32_t>(stream.blocks.size()), out);
    for (const BlockInfo& block : stream.blocks) EncodeBlockInfo(block, out);
  }
}

Result<std::vector<StreamInfo>> DecodeDirectory(std::string_view bytes) {
  ByteReader reader(bytes);
  uint32_t count = 0;
  if (!reader.ReadFixedAs(&count) || count > reader.remaining() / kStreamFixedSize) {
    return Status::Corruption("directory offset 0: stream count does not fit the directory");
  }
  std::vector<StreamInfo> streams;
  streams.reserve(count);
  std::set<uint64_t> fingerprints;
  for (uint32_t i = 0; i < count; ++i) {
    size_t at = reader.offset();
    SILT_ASSIGN_OR_RETURN(StreamInfo stream, DecodeStream(&reader));
    if (!fingerprints.insert(stream.fingerprint).second) {
      return Status::Corruption(At("directory", at) + ": stream " + stream.labels.ToString() +
                                " appears twice");
    }
    streams.push_back(std::move(stream));
  }
  if (!reader.empty()) {
    return Status::Corruption(At("directory", reader.offset()) + ": " +
                              std::to_string(reader.remaining()) + " bytes after the last stream");
  }
  return streams;
}

}  // namespace silt::store
