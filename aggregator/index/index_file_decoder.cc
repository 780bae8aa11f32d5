// DecodeIndexFile (declared in index_file.h): the checking decoder of index.silt. Every count is
// bounded by the bytes left before anything is allocated, and every invariant of
// docs/formats/index.md is checked, so what it returns is a self-consistent PartitionIndex.
#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/index/index_file.h"
#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_format.h"
#include "aggregator/store/chunk_layout.h"
#include "shared/hash/xxh3.h"
#include "shared/labels/label_parser.h"

namespace silt::index {

using store::ByteReader;
using store::DecodeFixed;

namespace {

enum SectionId { kHeader, kChunks, kStreams, kPostings, kSectionCount };
constexpr const char* kSectionNames[kSectionCount] = {"header", "chunks", "streams", "postings"};

struct Section {
  const char* name = "";
  size_t offset = 0;  // in the file
  std::string_view bytes;
};

// What the streams section says about one chunk, to compare with the chunk's own totals.
struct ChunkTally {
  std::vector<bool> stream_seen;  // by stream_index
  uint64_t refs = 0;
  uint64_t blocks = 0;
  uint64_t entries = 0;
};

// Reads a LEB128 varint in its shortest form: false when truncated, overlong, or padded with
// redundant continuation bytes (which would give one value two encodings).
bool ReadVarint(ByteReader& reader, uint64_t* value) {
  const size_t start = reader.offset();
  return reader.ReadVarint64(value) && reader.offset() - start == store::VarintLength(*value);
}

// A varint length in its shortest form followed by that many bytes.
bool ReadLengthPrefixed(ByteReader& reader, std::string_view* bytes) {
  uint64_t length = 0;
  return ReadVarint(reader, &length) && length <= reader.remaining() &&
         reader.ReadBytes(static_cast<size_t>(length), bytes);
}

}  // namespace

class IndexFileDecoder {
 public:
  explicit IndexFileDecoder(std::string_view bytes) : bytes_(bytes) {}

  Result<PartitionIndex> Decode() {
    SILT_RETURN_IF_ERROR(DecodeFooter());
    SILT_RETURN_IF_ERROR(DecodeHeader());
    SILT_RETURN_IF_ERROR(DecodeChunks());
    SILT_RETURN_IF_ERROR(DecodeStreams());
    SILT_RETURN_IF_ERROR(CheckChunkTotals());
    SILT_RETURN_IF_ERROR(DecodePostings());
    index_.UpdateTimeRange();
    return std::move(index_);
  }

 private:
  Status Corrupt(SectionId id, size_t at, std::string_view problem) const {
    return Status::Corruption(std::string(kSectionNames[id]) + " section, file offset " +
                              std::to_string(sections_[id].offset + at) + ": " +
                              std::string(problem));
  }
  Status Truncated(SectionId id, const ByteReader& reader, std::string_view what) const {
    return Corrupt(id, reader.offset(), std::string(what) + " is truncated or badly encoded");
  }

  Status DecodeFooter();
  Status DecodeSectionTable(std::string_view footer, size_t footer_offset);
  Status DecodeHeader();
  Status DecodeChunks();
  Status DecodeChunk(ByteReader& reader, std::string_view previous_name);
  Status DecodeSkipped(ByteReader& reader);
  Status DecodeStreams();
  Status DecodeStream(ByteReader& reader, uint64_t previous_fingerprint, bool first);
  Status DecodeRef(ByteReader& reader, uint64_t fingerprint, uint64_t* next_ordinal,
                   ChunkStreamRef* ref);
  Status DecodeBlocks(ByteReader& reader, const IndexedChunk& chunk, ChunkTally& tally,
                      std::vector<BlockRef>* blocks);
  Status CheckChunkTotals() const;
  Status DecodePostings();
  Status DecodeValue(ByteReader& reader, const std::string& name, Postings::List* list);

  const std::string_view bytes_;
  Section sections_[kSectionCount];
  uint32_t chunk_count_ = 0;
  uint32_t skipped_count_ = 0;
  uint32_t stream_count_ = 0;
  std::vector<std::shared_ptr<const IndexedChunk>> chunks_;  // by ordinal
  std::vector<PartitionIndex::ChunkEntry*> entries_;         // by ordinal, in index_
  std::vector<ChunkTally> tallies_;
  std::vector<Postings::Stream> streams_;
  PartitionIndex index_;
};

Status IndexFileDecoder::DecodeFooter() {
  if (bytes_.size() < kMinIndexFileSize ||
      bytes_.substr(bytes_.size() - kIndexMagic.size()) != kIndexMagic) {
    return Status::Corruption("footer: the file (" + std::to_string(bytes_.size()) +
                              " bytes) does not end with the \"SIDX\" magic (truncated or not an "
                              "index file)");
  }
  const size_t footer_offset = bytes_.size() - kIndexFooterSize;
  const std::string_view footer = bytes_.substr(footer_offset);
  auto at = [&](size_t offset) {
    return "footer, file offset " + std::to_string(footer_offset + offset);
  };
  const uint64_t version = DecodeFixed(footer.data() + kIndexFooterVersionOffset, 4);
  if (version != kIndexFormatVersion) {
    return Status::Corruption(at(kIndexFooterVersionOffset) + ": unknown version " +
                              std::to_string(version) + " (this build reads version 1)");
  }
  if (hash::Xxh3(footer.substr(0, kIndexFooterChecksumOffset)) !=
      DecodeFixed(footer.data() + kIndexFooterChecksumOffset, 8)) {
    return Status::Corruption(at(kIndexFooterChecksumOffset) + ": footer checksum mismatch");
  }
  SILT_RETURN_IF_ERROR(DecodeSectionTable(footer, footer_offset));
  chunk_count_ = static_cast<uint32_t>(DecodeFixed(footer.data() + kIndexFooterCountsOffset, 4));
  skipped_count_ =
      static_cast<uint32_t>(DecodeFixed(footer.data() + kIndexFooterCountsOffset + 4, 4));
  stream_count_ =
      static_cast<uint32_t>(DecodeFixed(footer.data() + kIndexFooterCountsOffset + 8, 4));
  return Status::Ok();
}

// Locates and checksums the sections from the footer's table of sizes and checksums.
Status IndexFileDecoder::DecodeSectionTable(std::string_view footer, size_t footer_offset) {
  size_t offset = 0;
  for (int id = 0; id < kSectionCount; ++id) {
    const uint64_t size = DecodeFixed(footer.data() + 16 * id, 8);
    if (size > footer_offset - offset) {
      return Status::Corruption("footer, file offset " + std::to_string(footer_offset + 16 * id) +
                                ": " + kSectionNames[id] + " section size " + std::to_string(size) +
                                " does not fit the file");
    }
    sections_[id] = {kSectionNames[id], offset, bytes_.substr(offset, size)};
    if (hash::Xxh3(sections_[id].bytes) != DecodeFixed(footer.data() + 16 * id + 8, 8)) {
      return Corrupt(static_cast<SectionId>(id), 0, "section checksum mismatch");
    }
    offset += size;
  }
  if (offset != footer_offset) {
    return Status::Corruption("footer, file offset " + std::to_string(footer_offset) +
                              ": the sections end at " + std::to_string(offset) +
                              ", not where the footer starts");
  }
  return Status::Ok();
}

Status IndexFileDecoder::DecodeHeader() {
  const std::string_view header = sections_[kHeader].bytes;
  if (header.size() < kIndexHeaderFixedSize || header.substr(0, 4) != kIndexMagic) {
    return Corrupt(kHeader, 0, "no \"SIDX\" magic (not an index file)");
  }
  const uint64_t version = DecodeFixed(header.data() + kIndexHeaderVersionOffset, 1);
  if (version != kIndexFormatVersion) {
    return Corrupt(kHeader, kIndexHeaderVersionOffset,
                   "unknown version " + std::to_string(version) + " (this build reads version 1)");
  }
  if (header[kIndexHeaderFlagsOffset] != 0) {
    return Corrupt(kHeader, kIndexHeaderFlagsOffset, "unknown flags");
  }
  const uint64_t tenant_length = DecodeFixed(header.data() + kIndexHeaderTenantLengthOffset, 2);
  if (kIndexHeaderFixedSize + tenant_length != header.size()) {
    return Corrupt(kHeader, kIndexHeaderTenantLengthOffset,
                   "tenant length " + std::to_string(tenant_length) +
                       " does not match the header size " + std::to_string(header.size()));
  }
  index_.tenant_ = std::string(header.substr(kIndexHeaderFixedSize));
  index_.partition_start_ =
      static_cast<int64_t>(DecodeFixed(header.data() + kIndexHeaderPartitionStartOffset, 8));
  index_.partition_end_ =
      static_cast<int64_t>(DecodeFixed(header.data() + kIndexHeaderPartitionEndOffset, 8));
  const bool unbounded = index_.partition_start_ == store::kUnboundedPartitionStart &&
                         index_.partition_end_ == store::kUnboundedPartitionEnd;
  const bool valid = index_.tenant_.empty()
                         ? chunk_count_ == 0 && unbounded
                         : chunk_count_ > 0 && store::ValidateTenant(index_.tenant_).ok() &&
                               index_.partition_start_ < index_.partition_end_;
  if (!valid) {
    return Corrupt(kHeader, kIndexHeaderTenantLengthOffset,
                   "invalid tenant or partition range (a tenant and a partition are present "
                   "exactly when chunk files are indexed)");
  }
  return Status::Ok();
}

Status IndexFileDecoder::DecodeChunks() {
  ByteReader reader(sections_[kChunks].bytes);
  uint32_t count = 0;
  if (!reader.ReadFixedAs(&count)) return Truncated(kChunks, reader, "chunk count");
  if (count != chunk_count_ || count > reader.remaining() / kChunkEntryFixedSize) {
    return Corrupt(kChunks, 0,
                   "chunk count " + std::to_string(count) +
                       " does not match the footer or does not fit the section");
  }
  chunks_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    SILT_RETURN_IF_ERROR(DecodeChunk(reader, i == 0 ? "" : chunks_.back()->file_name));
  }
  uint32_t skipped = 0;
  if (!reader.ReadFixedAs(&skipped)) return Truncated(kChunks, reader, "skipped chunk count");
  if (skipped != skipped_count_ || skipped > reader.remaining() / kSkippedEntryFixedSize) {
    return Corrupt(kChunks, reader.offset(),
                   "skipped chunk count " + std::to_string(skipped) +
                       " does not match the footer or does not fit the section");
  }
  for (uint32_t i = 0; i < skipped; ++i) SILT_RETURN_IF_ERROR(DecodeSkipped(reader));
  if (!reader.empty()) return Corrupt(kChunks, reader.offset(), "bytes after the last entry");
  // Each stream of a chunk is referenced once in the streams section, which bounds the tallies.
  uint64_t total_streams = 0;
  for (const auto& chunk : chunks_) total_streams += chunk->stream_count;
  if (total_streams > sections_[kStreams].bytes.size()) {
    return Corrupt(kChunks, 0, "the chunks hold more streams than the streams section can list");
  }
  tallies_.resize(chunks_.size());
  for (size_t i = 0; i < chunks_.size(); ++i)
    tallies_[i].stream_seen.resize(chunks_[i]->stream_count);
  return Status::Ok();
}

Status IndexFileDecoder::DecodeChunk(ByteReader& reader, std::string_view previous_name) {
  const size_t at = reader.offset();
  uint16_t name_length = 0;
  std::string_view name;
  auto chunk = std::make_shared<IndexedChunk>();
  if (!reader.ReadFixedAs(&name_length) || !reader.ReadBytes(name_length, &name) ||
      !reader.ReadFixedAs(&chunk->file_size) || !reader.ReadFixedAs(&chunk->footer_checksum) ||
      !reader.ReadFixedAs(&chunk->wal_seq_hi) || !reader.ReadFixedAs(&chunk->min_ts) ||
      !reader.ReadFixedAs(&chunk->max_ts) || !reader.ReadFixedAs(&chunk->entry_count) ||
      !reader.ReadFixedAs(&chunk->stream_count) || !reader.ReadFixedAs(&chunk->block_count)) {
    return Truncated(kChunks, reader, "chunk entry");
  }
  chunk->file_name = std::string(name);
  if (!ValidateChunkFileName(name).ok() || (!previous_name.empty() && name <= previous_name)) {
    return Corrupt(kChunks, at, "chunk file name is invalid or out of order");
  }
  const bool empty = chunk->entry_count == 0;
  const bool counts_ok =
      empty ? chunk->stream_count == 0 && chunk->block_count == 0 && chunk->min_ts == 0 &&
                  chunk->max_ts == 0
            : chunk->stream_count > 0 && chunk->block_count >= chunk->stream_count &&
                  chunk->entry_count >= chunk->block_count && chunk->min_ts <= chunk->max_ts &&
                  chunk->min_ts >= index_.partition_start_ && chunk->max_ts < index_.partition_end_;
  if (!counts_ok || chunk->file_size < store::kMinChunkFileSize) {
    return Corrupt(kChunks, at,
                   "chunk file " + chunk->file_name + " has impossible counts, time range or size");
  }
  auto entry = index_.chunks_.emplace_hint(index_.chunks_.end(), chunk->file_name,
                                           PartitionIndex::ChunkEntry{chunk, {}});
  entries_.push_back(&entry->second);
  chunks_.push_back(std::move(chunk));
  return Status::Ok();
}

Status IndexFileDecoder::DecodeSkipped(ByteReader& reader) {
  const size_t at = reader.offset();
  uint16_t name_length = 0;
  uint16_t reason_length = 0;
  std::string_view name;
  std::string_view reason;
  SkippedChunk chunk;
  if (!reader.ReadFixedAs(&name_length) || !reader.ReadBytes(name_length, &name) ||
      !reader.ReadFixedAs(&chunk.file_size) || !reader.ReadFixedAs(&reason_length) ||
      !reader.ReadBytes(reason_length, &reason)) {
    return Truncated(kChunks, reader, "skipped chunk entry");
  }
  const auto& skipped = index_.skipped_;
  const bool in_order = skipped.empty() || std::prev(skipped.end())->first < name;
  const bool indexed = index_.chunks_.contains(name);
  if (!ValidateChunkFileName(name).ok() || !in_order || indexed ||
      reason.size() > kMaxSkipReasonLength) {
    return Corrupt(kChunks, at,
                   "skipped chunk name is invalid, out of order or also indexed, "
                   "or its reason is too long");
  }
  chunk.file_name = std::string(name);
  chunk.reason = std::string(reason);
  index_.skipped_.emplace_hint(index_.skipped_.end(), chunk.file_name, std::move(chunk));
  return Status::Ok();
}

Status IndexFileDecoder::DecodeStreams() {
  ByteReader reader(sections_[kStreams].bytes);
  uint64_t count = 0;
  if (!ReadVarint(reader, &count)) return Truncated(kStreams, reader, "stream count");
  if (count != stream_count_ || count > reader.remaining() / kMinStreamSize) {
    return Corrupt(kStreams, 0,
                   "stream count " + std::to_string(count) +
                       " does not match the footer or does not fit the section");
  }
  streams_.reserve(count);
  index_.refs_.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    SILT_RETURN_IF_ERROR(DecodeStream(reader, i == 0 ? 0 : streams_.back().fingerprint, i == 0));
  }
  if (!reader.empty()) return Corrupt(kStreams, reader.offset(), "bytes after the last stream");
  return Status::Ok();
}

Status IndexFileDecoder::DecodeStream(ByteReader& reader, uint64_t previous_fingerprint,
                                      bool first) {
  const size_t at = reader.offset();
  uint64_t fingerprint = 0;
  std::string_view text;
  uint64_t ref_count = 0;
  if (!reader.ReadFixedAs(&fingerprint) || !ReadLengthPrefixed(reader, &text) ||
      !ReadVarint(reader, &ref_count)) {
    return Truncated(kStreams, reader, "stream entry");
  }
  if (!first && fingerprint <= previous_fingerprint) {
    return Corrupt(kStreams, at, "streams are not in ascending fingerprint order");
  }
  Result<labels::LabelSet> labels = labels::ParseLabels(text);
  if (!labels.ok() || labels->empty() || labels->ToString() != text ||
      labels->Fingerprint() != fingerprint) {
    return Corrupt(kStreams, at,
                   "stream labels are not canonical or do not match fingerprint: " +
                       std::string(text.substr(0, 200)));
  }
  if (ref_count == 0 || ref_count > reader.remaining() / (3 + kMinBlockSize)) {
    return Corrupt(kStreams, at, "stream " + labels->ToString() + " has an impossible ref count");
  }
  std::vector<ChunkStreamRef>& refs = index_.refs_[fingerprint];
  refs.reserve(ref_count);
  uint64_t next_ordinal = 0;
  for (uint64_t i = 0; i < ref_count; ++i) {
    ChunkStreamRef ref;
    SILT_RETURN_IF_ERROR(DecodeRef(reader, fingerprint, &next_ordinal, &ref));
    refs.push_back(std::move(ref));
  }
  streams_.push_back({fingerprint, *std::move(labels)});
  return Status::Ok();
}

Status IndexFileDecoder::DecodeRef(ByteReader& reader, uint64_t fingerprint, uint64_t* next_ordinal,
                                   ChunkStreamRef* ref) {
  const size_t at = reader.offset();
  uint64_t ordinal = 0;
  uint64_t stream_index = 0;
  if (!ReadVarint(reader, &ordinal) || !ReadVarint(reader, &stream_index)) {
    return Truncated(kStreams, reader, "chunk reference");
  }
  if (ordinal < *next_ordinal || ordinal >= chunks_.size()) {
    return Corrupt(
        kStreams, at,
        "chunk reference " + std::to_string(ordinal) + " is out of range or out of order");
  }
  *next_ordinal = ordinal + 1;
  ChunkTally& tally = tallies_[ordinal];
  if (stream_index >= tally.stream_seen.size() || tally.stream_seen[stream_index]) {
    return Corrupt(kStreams, at,
                   "stream index " + std::to_string(stream_index) +
                       " is out of range or used twice in chunk " + chunks_[ordinal]->file_name);
  }
  tally.stream_seen[stream_index] = true;
  ++tally.refs;
  ref->chunk = chunks_[ordinal];
  ref->stream_index = static_cast<uint32_t>(stream_index);
  entries_[ordinal]->fingerprints.push_back(fingerprint);
  return DecodeBlocks(reader, *chunks_[ordinal], tally, &ref->blocks);
}

Status IndexFileDecoder::DecodeBlocks(ByteReader& reader, const IndexedChunk& chunk,
                                      ChunkTally& tally, std::vector<BlockRef>* blocks) {
  uint64_t count = 0;
  const size_t at = reader.offset();
  if (!ReadVarint(reader, &count)) return Truncated(kStreams, reader, "block count");
  if (count == 0 || count > reader.remaining() / kMinBlockSize) {
    return Corrupt(kStreams, at, "impossible block count " + std::to_string(count));
  }
  blocks->reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    const size_t block_at = reader.offset();
    BlockRef block;
    uint64_t entries = 0, compressed = 0, uncompressed = 0;
    if (!reader.ReadFixedAs(&block.min_ts) || !reader.ReadFixedAs(&block.max_ts) ||
        !ReadVarint(reader, &entries) || !ReadVarint(reader, &compressed) ||
        !ReadVarint(reader, &uncompressed)) {
      return Truncated(kStreams, reader, "block");
    }
    const bool ok = entries >= 1 && entries <= UINT32_MAX && compressed >= 1 &&
                    compressed <= UINT32_MAX && uncompressed >= 1 &&
                    uncompressed <= store::kMaxBlockSize && block.min_ts <= block.max_ts &&
                    block.min_ts >= chunk.min_ts && block.max_ts <= chunk.max_ts &&
                    (blocks->empty() || block.min_ts >= blocks->back().max_ts);
    if (!ok) {
      return Corrupt(kStreams, block_at,
                     "block " + std::to_string(i) + " in chunk " + chunk.file_name +
                         " has an impossible time range, count or size");
    }
    block.block_index = static_cast<uint32_t>(i);
    block.entry_count = static_cast<uint32_t>(entries);
    block.compressed_size = static_cast<uint32_t>(compressed);
    block.uncompressed_size = static_cast<uint32_t>(uncompressed);
    tally.entries += entries;
    blocks->push_back(block);
  }
  tally.blocks += count;
  return Status::Ok();
}

Status IndexFileDecoder::CheckChunkTotals() const {
  for (size_t i = 0; i < chunks_.size(); ++i) {
    const IndexedChunk& chunk = *chunks_[i];
    const ChunkTally& tally = tallies_[i];
    if (tally.refs != chunk.stream_count || tally.blocks != chunk.block_count ||
        tally.entries != chunk.entry_count) {
      return Corrupt(kStreams, 0,
                     "the streams section lists " + std::to_string(tally.refs) + " streams, " +
                         std::to_string(tally.blocks) + " blocks and " +
                         std::to_string(tally.entries) + " entries of chunk " + chunk.file_name +
                         ", which holds " + std::to_string(chunk.stream_count) + ", " +
                         std::to_string(chunk.block_count) + " and " +
                         std::to_string(chunk.entry_count));
    }
  }
  return Status::Ok();
}

Status IndexFileDecoder::DecodePostings() {
  ByteReader reader(sections_[kPostings].bytes);
  uint64_t name_count = 0;
  if (!ReadVarint(reader, &name_count)) return Truncated(kPostings, reader, "name count");
  if (name_count > reader.remaining() / 3) {
    return Corrupt(kPostings, 0, "name count does not fit the section");
  }
  std::vector<Postings::List> lists;
  for (uint64_t n = 0; n < name_count; ++n) {
    const size_t at = reader.offset();
    std::string_view name;
    uint64_t value_count = 0;
    if (!ReadLengthPrefixed(reader, &name) || !ReadVarint(reader, &value_count)) {
      return Truncated(kPostings, reader, "label name");
    }
    if (name.empty() || (!lists.empty() && lists.back().name >= name) || value_count == 0 ||
        value_count > reader.remaining() / 3) {
      return Corrupt(kPostings, at,
                     "label name is empty or out of order, or its value count is "
                     "impossible");
    }
    const std::string name_string(name);
    for (uint64_t v = 0; v < value_count; ++v) {
      Postings::List list;
      SILT_RETURN_IF_ERROR(DecodeValue(reader, name_string, &list));
      lists.push_back(std::move(list));
    }
  }
  if (!reader.empty()) return Corrupt(kPostings, reader.offset(), "bytes after the last name");
  Result<Postings> postings = Postings::FromLists(std::move(streams_), std::move(lists));
  if (!postings.ok()) {
    return Corrupt(
        kPostings, 0,
        "postings disagree with the streams' labels: " + std::string(postings.status().message()));
  }
  index_.postings_ = *std::move(postings);
  return Status::Ok();
}

Status IndexFileDecoder::DecodeValue(ByteReader& reader, const std::string& name,
                                     Postings::List* list) {
  const size_t at = reader.offset();
  std::string_view value;
  uint64_t count = 0;
  if (!ReadLengthPrefixed(reader, &value) || !ReadVarint(reader, &count)) {
    return Truncated(kPostings, reader, "label value");
  }
  if (value.empty() || count == 0 || count > reader.remaining() || count > streams_.size()) {
    return Corrupt(kPostings, at, "value of " + name + " is empty or has an impossible count");
  }
  list->name = name;
  list->value = std::string(value);
  list->fingerprints.reserve(count);
  uint64_t ordinal = 0;
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t delta = 0;
    if (!ReadVarint(reader, &delta)) return Truncated(kPostings, reader, "posting list");
    const bool ok =
        i == 0 ? delta < streams_.size() : delta > 0 && delta < streams_.size() - ordinal;
    if (!ok) {
      return Corrupt(kPostings, at,
                     "posting list of " + name + "=" + std::string(value) +
                         " names a stream out of range or out of order");
    }
    ordinal = i == 0 ? delta : ordinal + delta;
    list->fingerprints.push_back(streams_[ordinal].fingerprint);
  }
  return Status::Ok();
}

Result<PartitionIndex> DecodeIndexFile(std::string_view bytes) {
  return IndexFileDecoder(bytes).Decode();
}

}  // namespace silt::index
