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
  for (const auto& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(auto series, partition->index->Series(matchers, from, through));
    all.insert(all.end(), std::make_move_iterator(series.begin()),
               std::make_move_iterator(series.end()));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

namespace {

void SortUnique(std::vector<std::string>* values) {
  std::sort(values->begin(), values->end());
  values->erase(std::unique(values->begin(), values->end()), values->end());
}

}  // namespace

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
  for (const auto& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(auto more, partition->index->LabelNames(from, through, matchers));
    names.insert(names.end(), std::make_move_iterator(more.begin()),
                 std::make_move_iterator(more.end()));
  }
  SortUnique(&names);
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
  for (const auto& partition : partitions) {
    SILT_ASSIGN_OR_RETURN(auto more, partition->index->LabelValues(name, from, through, matchers));
    values.insert(values.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
  }
  SortUnique(&values);
  return values;
}

}  // namespace silt::engine
