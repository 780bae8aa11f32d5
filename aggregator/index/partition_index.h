// PartitionIndex: everything a query needs to find data in one (tenant, time partition) without
// opening a chunk file's directory: the streams' postings (postings.h) and, per stream, in which
// chunk files it has data, its position in each chunk's directory, and its blocks with their time
// ranges, entry counts and sizes, so a planner picks blocks by time before touching any file.
// It also remembers the chunk files it covers (name, size, footer checksum) and those it had to
// skip, which is how a persisted index (index_file.h) is recognised as current or stale.
//
// Built incrementally with AddChunk (a flush or a rebuild) and RemoveChunk (compaction), or
// loaded from index.silt. Time ranges are [from, through): `through` is exclusive, and a block
// [min_ts, max_ts] overlaps when min_ts < through and max_ts >= from.
//
// Thread-safety: const methods may run concurrently; AddChunk/RemoveChunk/AddSkippedChunk need
// exclusive access. To change an index that queries are reading, copy it (linear in its size;
// chunk descriptions are shared), change the copy and publish it as a
// shared_ptr<const PartitionIndex>. Results own their data and stay valid after the index changes
// or goes away.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "aggregator/index/postings.h"
#include "aggregator/store/chunk_format.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/labels/label_set.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"

namespace silt::index {

// One block of a stream in a chunk file, as the chunk's directory describes it.
struct BlockRef {
  uint32_t block_index = 0;  // for ChunkReader::ReadBlock
  int64_t min_ts = 0;
  int64_t max_ts = 0;
  uint32_t entry_count = 0;
  uint32_t compressed_size = 0;
  uint32_t uncompressed_size = 0;
  friend bool operator==(const BlockRef&, const BlockRef&) = default;
};

// A chunk file the index covers. Immutable once indexed; shared by the index and query results.
struct IndexedChunk {
  std::string file_name;  // in the partition directory, e.g. "chunk-0000000000000042.silt"
  uint64_t file_size = 0;
  uint64_t footer_checksum = 0;  // the chunk footer's own checksum field
  uint64_t wal_seq_hi = 0;
  int64_t min_ts = 0;  // 0 and 0 when the chunk holds no entries
  int64_t max_ts = 0;
  uint64_t entry_count = 0;
  uint32_t stream_count = 0;
  uint32_t block_count = 0;
  friend bool operator==(const IndexedChunk&, const IndexedChunk&) = default;
};

// A chunk file present in the partition that could not be indexed (corrupt, or not of this
// tenant and partition). Remembered so that the persisted index still matches the directory.
struct SkippedChunk {
  std::string file_name;
  uint64_t file_size = 0;
  std::string reason;
  friend bool operator==(const SkippedChunk&, const SkippedChunk&) = default;
};

// One stream's data in one chunk file.
struct ChunkStreamRef {
  std::shared_ptr<const IndexedChunk> chunk;
  uint32_t stream_index = 0;     // for ChunkReader::ReadBlock
  std::vector<BlockRef> blocks;  // in timestamp order
};

struct SelectedStream {
  uint64_t fingerprint = 0;
  labels::LabelSet labels;
  // Ordered by chunk file name; each with only the blocks overlapping the queried range (never
  // empty). Streams without such a block are not selected.
  std::vector<ChunkStreamRef> chunks;
};

// Whether `name` can be a chunk file name in the index: 1..255 bytes, no '/' or NUL, not "." or
// "..". InvalidArgument quoting it otherwise.
Status ValidateChunkFileName(std::string_view name);

class PartitionIndex {
 public:
  PartitionIndex() = default;

  // Indexes the chunk read by `reader` (which need not outlive this call) under `file_name`.
  // InvalidArgument, changing nothing, when the name is invalid or already indexed or skipped,
  // when the chunk's tenant or partition differs from the chunks indexed before, or when one of
  // its streams has the fingerprint of a different label set already indexed.
  Status AddChunk(std::string file_name, const store::ChunkReader& reader);
  // Forgets a chunk file (indexed or skipped) and the streams that had data only there.
  // NotFound when the index does not cover `file_name`.
  Status RemoveChunk(std::string_view file_name);
  // Records a chunk file that could not be indexed. InvalidArgument when the name is invalid or
  // already covered.
  Status AddSkippedChunk(SkippedChunk chunk);

  // The streams matching `matchers` (postings.h semantics) that have blocks overlapping
  // [from, through), ordered by fingerprint, with those blocks. InvalidArgument as
  // ValidateSelector.
  Result<std::vector<SelectedStream>> Select(std::span<const labels::Matcher> matchers,
                                             int64_t from, int64_t through) const;
  // Label names of the streams with data in [from, through) that match `matchers` (all streams
  // when empty), sorted. InvalidArgument as ValidateSelector when matchers are given.
  Result<std::vector<std::string>> LabelNames(int64_t from, int64_t through,
                                              std::span<const labels::Matcher> matchers = {}) const;
  // Values of label `name` among those streams, sorted.
  Result<std::vector<std::string>> LabelValues(
      std::string_view name, int64_t from, int64_t through,
      std::span<const labels::Matcher> matchers = {}) const;
  // Label sets of those streams, sorted.
  Result<std::vector<labels::LabelSet>> Series(std::span<const labels::Matcher> matchers,
                                               int64_t from, int64_t through) const;

  // Tenant and partition bounds of the indexed chunks ("" and unbounded before the first).
  const std::string& tenant() const { return tenant_; }
  int64_t partition_start() const { return partition_start_; }
  int64_t partition_end() const { return partition_end_; }
  // Time range of all indexed entries; min_ts() > max_ts() when there are none.
  int64_t min_ts() const { return min_ts_; }
  int64_t max_ts() const { return max_ts_; }

  // Indexed chunk files, by name.
  std::vector<std::shared_ptr<const IndexedChunk>> chunks() const;
  const IndexedChunk* FindChunk(std::string_view file_name) const;
  // Skipped chunk files, by name.
  std::vector<SkippedChunk> skipped_chunks() const;
  const Postings& postings() const { return postings_; }
  size_t stream_count() const { return postings_.size(); }
  // A stream's data in every chunk (ordered by chunk file name), or nullptr. Valid until the
  // next change to the index.
  const std::vector<ChunkStreamRef>* FindStream(uint64_t fingerprint) const;
  // Whether the stream has a block overlapping [from, through).
  bool HasDataIn(uint64_t fingerprint, int64_t from, int64_t through) const;

  // Same chunks, skipped chunks, streams, refs and postings (chunk descriptions compared by
  // value). Meant for tests and verification.
  friend bool operator==(const PartitionIndex& a, const PartitionIndex& b);

  // InvalidArgument ("the file is in the wrong directory") when the index holds chunks of
  // another tenant or partition than `reader`'s; OK for an empty index.
  Status CheckBelongs(const store::ChunkReader& reader) const;

 private:
  friend class IndexFileDecoder;  // index_file_decoder.cc fills a PartitionIndex from its parts

  struct ChunkEntry {
    std::shared_ptr<const IndexedChunk> info;
    std::vector<uint64_t> fingerprints;  // of its streams, sorted
  };

  Status CheckNewName(std::string_view file_name) const;
  void UpdateTimeRange();
  // The fingerprints of streams with data in [from, through), among `candidates` (sorted).
  std::vector<uint64_t> WithDataIn(std::span<const uint64_t> candidates, int64_t from,
                                   int64_t through) const;
  Result<std::vector<uint64_t>> Candidates(std::span<const labels::Matcher> matchers, int64_t from,
                                           int64_t through) const;
  bool CoversAllData(int64_t from, int64_t through) const;

  std::string tenant_;
  int64_t partition_start_ = store::kUnboundedPartitionStart;
  int64_t partition_end_ = store::kUnboundedPartitionEnd;
  int64_t min_ts_ = std::numeric_limits<int64_t>::max();
  int64_t max_ts_ = std::numeric_limits<int64_t>::min();
  std::map<std::string, ChunkEntry, std::less<>> chunks_;
  std::map<std::string, SkippedChunk, std::less<>> skipped_;
  std::unordered_map<uint64_t, std::vector<ChunkStreamRef>> refs_;
  Postings postings_;
};

}  // namespace silt::index
