// StorageEngine's read API (declared in storage_engine.h): Select, Series, LabelNames and
// LabelValues over the head and the chunk partitions as one view. The write path, recovery and
// flushing are in storage_engine.cc. Thread-safety as storage_engine.h says: any thread, a
// consistent snapshot of the head and the chunk catalog under view_mu_.
#include <algorithm>
#include <iterator>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/index/postings.h"

namespace silt::engine {

std::vector<std::shared_ptr<const PartitionChunks>> StorageEngine::ChunkPartitions(
    std::string_view tenant, int64_t from, int64_t through) const {
  return catalog_->Partitions(tenant, from, through);
}

Result<std::vector<StreamSelection>> StorageEngine::Select(
    std::string_view tenant, std::span<const labels::Matcher> matchers, int64_t from,
    int64_t through) const {
  SILT_RETURN_IF_ERROR(index::ValidateSelector(matchers));
  std::vector<store::HeadStream> head_streams;
  std::vector<std::shared_ptr<const PartitionChunks>> partitions;
  {
    std::shared_lock view(view_mu_);
    head_streams = head_->Select(tenant, matchers, from, through);
    partitions = ChunkPartitions(tenant, from, through);
  }
  std::map<labels::LabelSet, StreamSelection> streams;
  for (const auto& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(auto selected, partition->index->Select(matchers, from, through));
    for (index::SelectedStream& stream : selected) {
      StreamSelection& out = streams[stream.labels];
      if (out.labels.empty()) out.labels = stream.labels;
      for (index::ChunkStreamRef& ref : stream.chunks) {
        auto handle = partition->chunks.find(ref.chunk->file_name);
        if (handle == partition->chunks.end()) continue;  // indexed, then found damaged
        out.chunks.push_back(ChunkPiece{handle->second, ref.stream_index, std::move(ref.blocks)});
      }
    }
  }
  for (store::HeadStream& stream : head_streams) {
    StreamSelection& out = streams[stream.labels()];
    if (out.labels.empty()) out.labels = stream.labels();
    out.head.emplace(std::move(stream));
  }
  std::vector<StreamSelection> result;
  result.reserve(streams.size());
  for (auto& [labels, stream] : streams) {
    if (stream.chunks.empty() && !stream.head) continue;
    result.push_back(std::move(stream));
  }
  return result;
}

namespace {

// Adds what `from_index(const index::PartitionIndex&)` gives for every partition to `*out` (the
// head's answer), then sorts it and drops repeats.
template <typename T, typename FromIndex>
Status MergePartitions(const std::vector<std::shared_ptr<const PartitionChunks>>& partitions,
                       FromIndex from_index, std::vector<T>* out) {
  for (const auto& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(std::vector<T> more, from_index(*partition->index));
    out->insert(out->end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return Status::Ok();
}

}  // namespace

Result<std::vector<labels::LabelSet>> StorageEngine::Series(
    std::string_view tenant, std::span<const labels::Matcher> matchers, int64_t from,
    int64_t through) const {
  SILT_RETURN_IF_ERROR(index::ValidateSelector(matchers));
  std::vector<labels::LabelSet> all;
  std::vector<std::shared_ptr<const PartitionChunks>> partitions;
  {
    std::shared_lock view(view_mu_);
    all = head_->Series(tenant, matchers, from, through);
    partitions = ChunkPartitions(tenant, from, through);
  }
  SILT_RETURN_IF_ERROR(MergePartitions(
      partitions,
      [&](const index::PartitionIndex& index) { return index.Series(matchers, from, through); },
      &all));
  return all;
}

Result<std::vector<std::string>> StorageEngine::LabelNames(
    std::string_view tenant, std::span<const labels::Matcher> matchers, int64_t from,
    int64_t through) const {
  if (!matchers.empty()) SILT_RETURN_IF_ERROR(index::ValidateSelector(matchers));
  std::vector<std::string> names;
  std::vector<std::shared_ptr<const PartitionChunks>> partitions;
  {
    std::shared_lock view(view_mu_);
    names = head_->LabelNames(tenant, matchers, from, through);
    partitions = ChunkPartitions(tenant, from, through);
  }
  SILT_RETURN_IF_ERROR(MergePartitions(
      partitions,
      [&](const index::PartitionIndex& index) { return index.LabelNames(from, through, matchers); },
      &names));
  return names;
}

Result<std::vector<std::string>> StorageEngine::LabelValues(
    std::string_view tenant, std::string_view name, std::span<const labels::Matcher> matchers,
    int64_t from, int64_t through) const {
  if (!matchers.empty()) SILT_RETURN_IF_ERROR(index::ValidateSelector(matchers));
  std::vector<std::string> values;
  std::vector<std::shared_ptr<const PartitionChunks>> partitions;
  {
    std::shared_lock view(view_mu_);
    values = head_->LabelValues(tenant, name, matchers, from, through);
    partitions = ChunkPartitions(tenant, from, through);
  }
  SILT_RETURN_IF_ERROR(MergePartitions(
      partitions,
      [&](const index::PartitionIndex& index) {
        return index.LabelValues(name, from, through, matchers);
      },
      &values));
  return values;
}

}  // namespace silt::engine
