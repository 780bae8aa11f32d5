#include "aggregator/index/index_file.h"

#include <algorithm>
#include <cassert>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_layout.h"
#include "shared/hash/xxh3.h"
#include "shared/labels/label_parser.h"

namespace silt::index {

using store::ByteReader;
using store::PutFixed16;
using store::PutFixed32;
using store::PutFixed64;
using store::PutFixed8;
using store::PutVarint64;

namespace {

void EncodeHeader(const PartitionIndex& index, std::string* out) {
  out->append(kIndexMagic);
  PutFixed8(kIndexFormatVersion, out);
  PutFixed8(0, out);
  PutFixed16(static_cast<uint16_t>(index.tenant().size()), out);
  PutFixed64(static_cast<uint64_t>(index.partition_start()), out);
  PutFixed64(static_cast<uint64_t>(index.partition_end()), out);
  out->append(index.tenant());
}

void EncodeChunks(const PartitionIndex& index, std::string* out) {
  const auto chunks = index.chunks();
  PutFixed32(static_cast<uint32_t>(chunks.size()), out);
  for (const auto& chunk : chunks) {
    PutFixed16(static_cast<uint16_t>(chunk->file_name.size()), out);
    out->append(chunk->file_name);
    for (uint64_t v : {chunk->file_size, chunk->footer_checksum, chunk->wal_seq_hi,
                       static_cast<uint64_t>(chunk->min_ts), static_cast<uint64_t>(chunk->max_ts),
                       chunk->entry_count}) {
      PutFixed64(v, out);
    }
    PutFixed32(chunk->stream_count, out);
    PutFixed32(chunk->block_count, out);
  }
  const auto skipped = index.skipped_chunks();
  PutFixed32(static_cast<uint32_t>(skipped.size()), out);
  for (const SkippedChunk& chunk : skipped) {
    PutFixed16(static_cast<uint16_t>(chunk.file_name.size()), out);
    out->append(chunk.file_name);
    PutFixed64(chunk.file_size, out);
    PutFixed16(static_cast<uint16_t>(chunk.reason.size()), out);
    out->append(chunk.reason);
  }
}

void EncodeStreams(const PartitionIndex& index, std::string* out) {
  std::unordered_map<const IndexedChunk*, uint64_t> ordinals;
  for (const auto& chunk : index.chunks()) ordinals.emplace(chunk.get(), ordinals.size());
  const std::span<const uint64_t> fingerprints = index.postings().fingerprints();
  PutVarint64(fingerprints.size(), out);
  std::string labels;
  for (uint64_t fingerprint : fingerprints) {
    labels.clear();
    index.postings().Find(fingerprint)->AppendString(&labels);
    PutFixed64(fingerprint, out);
    PutVarint64(labels.size(), out);
    out->append(labels);
    const std::vector<ChunkStreamRef>& refs = *index.FindStream(fingerprint);
    PutVarint64(refs.size(), out);
    for (const ChunkStreamRef& ref : refs) {
      PutVarint64(ordinals.at(ref.chunk.get()), out);
      PutVarint64(ref.stream_index, out);
      PutVarint64(ref.blocks.size(), out);
      for (size_t i = 0; i < ref.blocks.size(); ++i) {
        const BlockRef& block = ref.blocks[i];
        assert(block.block_index == i && "an index holds every block of a stream's chunk");
        PutFixed64(static_cast<uint64_t>(block.min_ts), out);
        PutFixed64(static_cast<uint64_t>(block.max_ts), out);
        PutVarint64(block.entry_count, out);
        PutVarint64(block.compressed_size, out);
        PutVarint64(block.uncompressed_size, out);
      }
    }
  }
}

void EncodePostings(const Postings& postings, std::string* out) {
  const std::span<const uint64_t> all = postings.fingerprints();
  const std::vector<std::string> names = postings.LabelNames();
  PutVarint64(names.size(), out);
  for (const std::string& name : names) {
    const std::vector<std::string> values = postings.LabelValues(name);
    PutVarint64(name.size(), out);
    out->append(name);
    PutVarint64(values.size(), out);
    for (const std::string& value : values) {
      const std::span<const uint64_t> list = postings.PostingList(name, value);
      PutVarint64(value.size(), out);
      out->append(value);
      PutVarint64(list.size(), out);
      uint64_t previous = 0;
      for (uint64_t fingerprint : list) {
        const auto ordinal = static_cast<uint64_t>(
            std::lower_bound(all.begin(), all.end(), fingerprint) - all.begin());
        PutVarint64(ordinal - previous, out);
        previous = ordinal;
      }
    }
  }
}

}  // namespace

std::string EncodeIndexFile(const PartitionIndex& index) {
  std::string out;
  size_t sizes[4];
  uint64_t checksums[4];
  void (*const encoders[4])(const PartitionIndex&, std::string*) = {
      EncodeHeader, EncodeChunks, EncodeStreams,
      [](const PartitionIndex& i, std::string* o) { EncodePostings(i.postings(), o); }};
  for (size_t s = 0; s < 4; ++s) {
    const size_t start = out.size();
    encoders[s](index, &out);
    sizes[s] = out.size() - start;
    checksums[s] = hash::Xxh3(std::string_view(out).substr(start));
  }
  const size_t footer_start = out.size();
  for (size_t s = 0; s < 4; ++s) {
    PutFixed64(sizes[s], &out);
    PutFixed64(checksums[s], &out);
  }
  PutFixed32(static_cast<uint32_t>(index.chunks().size()), &out);
  PutFixed32(static_cast<uint32_t>(index.skipped_chunks().size()), &out);
  PutFixed32(static_cast<uint32_t>(index.stream_count()), &out);
  PutFixed32(kIndexFormatVersion, &out);
  PutFixed64(hash::Xxh3(std::string_view(out).substr(footer_start, kIndexFooterChecksumOffset)),
             &out);
  out.append(kIndexMagic);
  return out;
}

Status WriteIndexFile(fs::FileSystem* fs, const std::string& partition_dir,
                      const PartitionIndex& index) {
  const std::string path = fs::JoinPath(partition_dir, kIndexFileName);
  return fs->WriteFileAtomically(path, EncodeIndexFile(index))
      .WithContext("writing index file " + path);
}

Result<PartitionIndex> ReadIndexFile(fs::FileSystem* fs, const std::string& partition_dir) {
  const std::string path = fs::JoinPath(partition_dir, kIndexFileName);
  SILT_ASSIGN_OR_RETURN(std::string bytes, fs->ReadFileToString(path));
  Result<PartitionIndex> index = DecodeIndexFile(bytes);
  if (!index.ok()) return index.status().WithContext("index file " + path);
  return index;
}

}  // namespace silt::index
