#include "aggregator/index/partition_index.h"

#include <algorithm>
#include <set>
#include <utility>

#include "aggregator/index/index_format.h"
#include "aggregator/store/binary_coding.h"
#include "aggregator/store/chunk_layout.h"

namespace silt::index {
namespace {

using labels::LabelSet;
using labels::LabelView;
using labels::Matcher;

// The blocks of `blocks` (timestamp order, so max_ts never decreases) overlapping
// [from, through); none when the range is empty.
std::span<const BlockRef> Overlapping(std::span<const BlockRef> blocks, int64_t from,
                                      int64_t through) {
  if (from >= through) return {};
  auto first = std::partition_point(blocks.begin(), blocks.end(),
                                    [from](const BlockRef& b) { return b.max_ts < from; });
  auto last = std::partition_point(first, blocks.end(),
                                   [through](const BlockRef& b) { return b.min_ts < through; });
  return {first, last};
}

std::shared_ptr<const IndexedChunk> DescribeChunk(std::string file_name,
                                                  const store::ChunkReader& reader) {
  const store::ChunkFooter& footer = reader.footer();
  std::string footer_bytes;
  store::EncodeFooter(footer, &footer_bytes);
  auto chunk = std::make_shared<IndexedChunk>();
  chunk->file_name = std::move(file_name);
  chunk->file_size = footer.directory_offset + footer.directory_size + store::kFooterSize;
  chunk->footer_checksum =
      store::DecodeFixed(footer_bytes.data() + store::kFooterChecksumOffset, 8);
  chunk->wal_seq_hi = footer.wal_seq_hi;
  chunk->min_ts = footer.min_ts;
  chunk->max_ts = footer.max_ts;
  chunk->entry_count = footer.entry_count;
  chunk->stream_count = footer.stream_count;
  chunk->block_count = footer.block_count;
  return chunk;
}

std::vector<BlockRef> BlockRefs(const store::StreamInfo& stream) {
  std::vector<BlockRef> blocks;
  blocks.reserve(stream.blocks.size());
  for (size_t i = 0; i < stream.blocks.size(); ++i) {
    const store::BlockInfo& block = stream.blocks[i];
    blocks.push_back({static_cast<uint32_t>(i), block.min_ts, block.max_ts, block.entry_count,
                      block.compressed_size, block.uncompressed_size});
  }
  return blocks;
}

bool SameRef(const ChunkStreamRef& a, const ChunkStreamRef& b) {
  return *a.chunk == *b.chunk && a.stream_index == b.stream_index && a.blocks == b.blocks;
}

std::vector<std::string> ToStrings(const std::set<std::string_view>& views) {
  return std::vector<std::string>(views.begin(), views.end());
}

}  // namespace

Status ValidateChunkFileName(std::string_view name) {
  if (name.empty() || name.size() > 255 || name == "." || name == ".." ||
      name.find_first_of(std::string_view("/\0", 2)) != std::string_view::npos) {
    return Status::InvalidArgument("chunk file name \"" + std::string(name.substr(0, 300)) +
                                   "\" is not valid: use a plain file name of 1 to 255 bytes "
                                   "without '/' or NUL");
  }
  return Status::Ok();
}

Status PartitionIndex::CheckNewName(std::string_view file_name) const {
  SILT_RETURN_IF_ERROR(ValidateChunkFileName(file_name));
  if (chunks_.contains(file_name) || skipped_.contains(file_name)) {
    return Status::InvalidArgument("chunk file " + std::string(file_name) +
                                   " is already in the index; remove it first to re-index it");
  }
  return Status::Ok();
}

Status PartitionIndex::CheckBelongs(const store::ChunkReader& reader) const {
  const store::ChunkHeader& header = reader.header();
  if (chunks_.empty()) return Status::Ok();
  if (header.tenant != tenant_ || header.partition_start != partition_start_ ||
      header.partition_end != partition_end_) {
    return Status::InvalidArgument(
        "chunk file " + reader.path() + " is of tenant " + header.tenant + ", partition [" +
        std::to_string(header.partition_start) + ", " + std::to_string(header.partition_end) +
        "), but this index holds tenant " + tenant_ + ", partition [" +
        std::to_string(partition_start_) + ", " + std::to_string(partition_end_) +
        "): the file is in the wrong directory");
  }
  return Status::Ok();
}

Status PartitionIndex::AddChunk(std::string file_name, const store::ChunkReader& reader) {
  SILT_RETURN_IF_ERROR(CheckNewName(file_name));
  SILT_RETURN_IF_ERROR(CheckBelongs(reader));
  std::vector<Postings::Stream> streams;
  streams.reserve(reader.streams().size());
  for (const store::StreamInfo& stream : reader.streams()) {
    streams.push_back({stream.fingerprint, stream.labels});
  }
  SILT_RETURN_IF_ERROR(postings_.Add(streams).WithContext("chunk file " + reader.path()));
  if (chunks_.empty()) {
    tenant_ = reader.header().tenant;
    partition_start_ = reader.header().partition_start;
    partition_end_ = reader.header().partition_end;
  }
  ChunkEntry entry{DescribeChunk(file_name, reader), {}};
  for (size_t i = 0; i < reader.streams().size(); ++i) {
    const store::StreamInfo& stream = reader.streams()[i];
    std::vector<ChunkStreamRef>& refs = refs_[stream.fingerprint];
    auto at = std::partition_point(refs.begin(), refs.end(), [&](const ChunkStreamRef& ref) {
      return ref.chunk->file_name < entry.info->file_name;
    });
    refs.insert(at, ChunkStreamRef{entry.info, static_cast<uint32_t>(i), BlockRefs(stream)});
    entry.fingerprints.push_back(stream.fingerprint);
  }
  std::sort(entry.fingerprints.begin(), entry.fingerprints.end());
  chunks_.emplace(std::move(file_name), std::move(entry));
  UpdateTimeRange();
  return Status::Ok();
}

Status PartitionIndex::RemoveChunk(std::string_view file_name) {
  if (auto it = skipped_.find(file_name); it != skipped_.end()) {
    skipped_.erase(it);
    return Status::Ok();
  }
  auto it = chunks_.find(file_name);
  if (it == chunks_.end()) {
    return Status::NotFound("chunk file " + std::string(file_name) + " is not in the index");
  }
  std::vector<uint64_t> gone;
  for (uint64_t fingerprint : it->second.fingerprints) {
    auto refs = refs_.find(fingerprint);
    std::erase_if(refs->second,
                  [&](const ChunkStreamRef& ref) { return ref.chunk == it->second.info; });
    if (refs->second.empty()) {
      refs_.erase(refs);
      gone.push_back(fingerprint);
    }
  }
  postings_.Remove(gone);
  chunks_.erase(it);
  if (chunks_.empty()) {
    tenant_.clear();
    partition_start_ = store::kUnboundedPartitionStart;
    partition_end_ = store::kUnboundedPartitionEnd;
  }
  UpdateTimeRange();
  return Status::Ok();
}

Status PartitionIndex::AddSkippedChunk(SkippedChunk chunk) {
  SILT_RETURN_IF_ERROR(CheckNewName(chunk.file_name));
  if (chunk.reason.size() > kMaxSkipReasonLength) chunk.reason.resize(kMaxSkipReasonLength);
  std::string name = chunk.file_name;
  skipped_.emplace(std::move(name), std::move(chunk));
  return Status::Ok();
}

void PartitionIndex::UpdateTimeRange() {
  min_ts_ = std::numeric_limits<int64_t>::max();
  max_ts_ = std::numeric_limits<int64_t>::min();
  for (const auto& [name, entry] : chunks_) {
    if (entry.info->entry_count == 0) continue;
    min_ts_ = std::min(min_ts_, entry.info->min_ts);
    max_ts_ = std::max(max_ts_, entry.info->max_ts);
  }
}

bool PartitionIndex::CoversAllData(int64_t from, int64_t through) const {
  return from <= min_ts_ && through > max_ts_;
}

bool PartitionIndex::HasDataIn(uint64_t fingerprint, int64_t from, int64_t through) const {
  const std::vector<ChunkStreamRef>* refs = FindStream(fingerprint);
  if (refs == nullptr) return false;
  return std::any_of(refs->begin(), refs->end(), [&](const ChunkStreamRef& ref) {
    return !Overlapping(ref.blocks, from, through).empty();
  });
}

std::vector<uint64_t> PartitionIndex::WithDataIn(std::span<const uint64_t> candidates, int64_t from,
                                                 int64_t through) const {
  if (CoversAllData(from, through)) return {candidates.begin(), candidates.end()};
  std::vector<uint64_t> out;
  if (from >= through || through <= min_ts_ || from > max_ts_) return out;
  for (uint64_t fingerprint : candidates) {
    if (HasDataIn(fingerprint, from, through)) out.push_back(fingerprint);
  }
  return out;
}

Result<std::vector<uint64_t>> PartitionIndex::Candidates(std::span<const Matcher> matchers,
                                                         int64_t from, int64_t through) const {
  if (matchers.empty()) return WithDataIn(postings_.fingerprints(), from, through);
  SILT_ASSIGN_OR_RETURN(std::vector<uint64_t> selected, postings_.Select(matchers));
  return WithDataIn(selected, from, through);
}

Result<std::vector<SelectedStream>> PartitionIndex::Select(std::span<const Matcher> matchers,
                                                           int64_t from, int64_t through) const {
  SILT_ASSIGN_OR_RETURN(std::vector<uint64_t> selected, postings_.Select(matchers));
  std::vector<SelectedStream> out;
  if (from >= through || through <= min_ts_ || from > max_ts_) return out;
  for (uint64_t fingerprint : selected) {
    SelectedStream stream;
    for (const ChunkStreamRef& ref : refs_.at(fingerprint)) {
      std::span<const BlockRef> blocks = Overlapping(ref.blocks, from, through);
      if (blocks.empty()) continue;
      stream.chunks.push_back({ref.chunk, ref.stream_index, {blocks.begin(), blocks.end()}});
    }
    if (stream.chunks.empty()) continue;
    stream.fingerprint = fingerprint;
    stream.labels = *postings_.Find(fingerprint);
    out.push_back(std::move(stream));
  }
  return out;
}

Result<std::vector<std::string>> PartitionIndex::LabelNames(
    int64_t from, int64_t through, std::span<const Matcher> matchers) const {
  if (matchers.empty() && CoversAllData(from, through)) return postings_.LabelNames();
  SILT_ASSIGN_OR_RETURN(std::vector<uint64_t> streams, Candidates(matchers, from, through));
  std::set<std::string_view> names;
  for (uint64_t fingerprint : streams) {
    for (LabelView label : *postings_.Find(fingerprint)) names.insert(label.name);
  }
  return ToStrings(names);
}

Result<std::vector<std::string>> PartitionIndex::LabelValues(
    std::string_view name, int64_t from, int64_t through, std::span<const Matcher> matchers) const {
  if (matchers.empty()) {
    if (CoversAllData(from, through)) return postings_.LabelValues(name);
    std::vector<std::string> values;
    for (std::string& value : postings_.LabelValues(name)) {
      std::span<const uint64_t> list = postings_.PostingList(name, value);
      if (std::any_of(list.begin(), list.end(),
                      [&](uint64_t f) { return HasDataIn(f, from, through); })) {
        values.push_back(std::move(value));
      }
    }
    return values;
  }
  SILT_ASSIGN_OR_RETURN(std::vector<uint64_t> streams, Candidates(matchers, from, through));
  std::set<std::string_view> values;
  for (uint64_t fingerprint : streams) {
    if (auto value = postings_.Find(fingerprint)->Get(name)) values.insert(*value);
  }
  return ToStrings(values);
}

Result<std::vector<LabelSet>> PartitionIndex::Series(std::span<const Matcher> matchers,
                                                     int64_t from, int64_t through) const {
  SILT_ASSIGN_OR_RETURN(std::vector<uint64_t> streams, Candidates(matchers, from, through));
  std::vector<LabelSet> series;
  series.reserve(streams.size());
  for (uint64_t fingerprint : streams) series.push_back(*postings_.Find(fingerprint));
  std::sort(series.begin(), series.end());
  return series;
}

std::vector<std::shared_ptr<const IndexedChunk>> PartitionIndex::chunks() const {
  std::vector<std::shared_ptr<const IndexedChunk>> out;
  out.reserve(chunks_.size());
  for (const auto& [name, entry] : chunks_) out.push_back(entry.info);
  return out;
}

const IndexedChunk* PartitionIndex::FindChunk(std::string_view file_name) const {
  auto it = chunks_.find(file_name);
  return it == chunks_.end() ? nullptr : it->second.info.get();
}

std::vector<SkippedChunk> PartitionIndex::skipped_chunks() const {
  std::vector<SkippedChunk> out;
  out.reserve(skipped_.size());
  for (const auto& [name, chunk] : skipped_) out.push_back(chunk);
  return out;
}

const std::vector<ChunkStreamRef>* PartitionIndex::FindStream(uint64_t fingerprint) const {
  auto it = refs_.find(fingerprint);
  return it == refs_.end() ? nullptr : &it->second;
}

bool operator==(const PartitionIndex& a, const PartitionIndex& b) {
  auto same_chunk = [](const auto& x, const auto& y) {
    return x.first == y.first && *x.second.info == *y.second.info &&
           x.second.fingerprints == y.second.fingerprints;
  };
  auto same_refs = [](const std::vector<ChunkStreamRef>& x, const std::vector<ChunkStreamRef>& y) {
    return std::equal(x.begin(), x.end(), y.begin(), y.end(), SameRef);
  };
  if (a.tenant_ != b.tenant_ || a.partition_start_ != b.partition_start_ ||
      a.partition_end_ != b.partition_end_ || a.skipped_ != b.skipped_ ||
      !std::equal(a.chunks_.begin(), a.chunks_.end(), b.chunks_.begin(), b.chunks_.end(),
                  same_chunk) ||
      a.refs_.size() != b.refs_.size() || !(a.postings_ == b.postings_)) {
    return false;
  }
  for (const auto& [fingerprint, refs] : a.refs_) {
    auto it = b.refs_.find(fingerprint);
    if (it == b.refs_.end() || !same_refs(refs, it->second)) return false;
  }
  return true;
}

}  // namespace silt::index
