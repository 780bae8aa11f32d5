#include "aggregator/engine/chunk_catalog.h"

#include <algorithm>
#include <climits>

#include "aggregator/engine/data_layout.h"
#include "aggregator/index/index_file.h"
#include "aggregator/index/index_loader.h"

namespace silt::engine {

const ChunkHandle* PartitionChunks::Find(std::string_view name) const {
  auto it = chunks.find(name);
  return it == chunks.end() ? nullptr : it->second.get();
}

ChunkCatalog::ChunkCatalog(fs::FileSystem* fs, std::string data_dir,
                           store::ChunkReaderOptions reader_options)
    : fs_(fs), data_dir_(std::move(data_dir)), reader_options_(reader_options) {}

Result<std::shared_ptr<const ChunkHandle>> ChunkCatalog::OpenChunk(const std::string& dir,
                                                                   const std::string& name) const {
  auto handle = std::make_shared<ChunkHandle>();
  handle->dir = dir;
  handle->name = name;
  SILT_ASSIGN_OR_RETURN(handle->file, fs_->NewRandomAccessFile(dir + "/" + name));
  SILT_ASSIGN_OR_RETURN(handle->reader,
                        store::ChunkReader::Open(handle->file.get(), reader_options_));
  return std::shared_ptr<const ChunkHandle>(std::move(handle));
}

void ChunkCatalog::PublishLocked(std::shared_ptr<const PartitionChunks> partition) {
  max_covered_ = std::max(max_covered_, partition->covered_sequence);
  partitions_[Key(partition->tenant, partition->start)] = std::move(partition);
}

Status ChunkCatalog::Publish(std::shared_ptr<const ChunkHandle> chunk) {
  const store::ChunkHeader& header = chunk->reader->header();
  std::lock_guard lock(mu_);
  auto it = partitions_.find(Key(header.tenant, header.partition_start));
  auto next = it == partitions_.end() ? std::make_shared<PartitionChunks>()
                                      : std::make_shared<PartitionChunks>(*it->second);
  auto index = next->index ? std::make_shared<index::PartitionIndex>(*next->index)
                           : std::make_shared<index::PartitionIndex>();
  // A flush may rewrite a chunk that the last start found damaged (its records were replayed
  // from the WAL): the good file replaces the skipped one.
  for (const index::SkippedChunk& skipped : index->skipped_chunks()) {
    if (skipped.file_name == chunk->name) index->RemoveChunk(chunk->name).IgnoreError();
  }
  SILT_RETURN_IF_ERROR(index->AddChunk(chunk->name, *chunk->reader));
  next->tenant = header.tenant;
  next->dir = chunk->dir;
  next->start = header.partition_start;
  next->end = header.partition_end;
  next->covered_sequence = std::max(next->covered_sequence, chunk->reader->footer().wal_seq_hi);
  next->index = std::move(index);
  next->chunks[chunk->name] = std::move(chunk);
  PublishLocked(std::move(next));
  return Status::Ok();
}

Status ChunkCatalog::WriteIndex(std::string_view tenant, int64_t start) const {
  std::shared_ptr<const PartitionChunks> partition;
  {
    std::lock_guard lock(mu_);
    auto it = partitions_.find(Key(std::string(tenant), start));
    if (it == partitions_.end()) return Status::Ok();
    partition = it->second;
  }
  return index::WriteIndexFile(fs_, partition->dir, *partition->index);
}

Status ChunkCatalog::LoadPartitionDir(const std::string& dir, CatalogLoadReport* report) {
  SILT_ASSIGN_OR_RETURN(auto names, fs_->ListDir(dir));
  for (const std::string& name : names) {
    if (!name.ends_with(".tmp")) continue;
    std::string path = dir + "/" + name;
    Status removed = fs_->DeleteFile(path);
    if (removed.ok()) {
      ++report->temp_files_removed;
    } else {
      report->problems.push_back(path + ": leftover temp file not removed: " + removed.ToString());
    }
  }
  index::IndexLoadOptions options;
  options.reader = reader_options_;
  SILT_ASSIGN_OR_RETURN(index::LoadedIndex loaded, index::LoadOrRebuild(fs_, dir, options));
  const index::IndexLoadReport& loaded_report = loaded.report;
  if (!loaded_report.complete) {
    // Serving without a chunk would make recovery replay its records into the head again.
    std::string detail = loaded_report.problems.empty() ? "" : ": " + loaded_report.problems.front();
    return Status::IOError("cannot read every chunk file of " + dir + detail +
                           "; fix the file system error and start again");
  }
  if (loaded_report.rebuild_reason != index::RebuildReason::kNone &&
      loaded_report.rebuild_reason != index::RebuildReason::kMissing) {
    ++report->indexes_rebuilt;
    report->problems.push_back(dir + "/index.silt: rebuilt from the chunk files (" +
                               std::string(index::RebuildReasonName(loaded_report.rebuild_reason)) +
                               (loaded_report.rebuild_detail.empty()
                                    ? std::string(")")
                                    : "): " + loaded_report.rebuild_detail));
  } else if (loaded_report.rebuild_reason == index::RebuildReason::kMissing &&
             loaded_report.chunk_files > 0) {
    ++report->indexes_rebuilt;
  }
  report->corrupt_chunks += loaded_report.chunks_skipped;
  for (const std::string& problem : loaded_report.problems) report->problems.push_back(problem);

  auto partition = std::make_shared<PartitionChunks>();
  index::PartitionIndex& index = loaded.index;
  for (const auto& chunk : index.chunks()) {
    auto handle = OpenChunk(dir, chunk->file_name);
    if (handle.ok()) {
      partition->covered_sequence = std::max(partition->covered_sequence, chunk->wal_seq_hi);
      partition->chunks[chunk->file_name] = std::move(*handle);
      continue;
    }
    if (handle.status().code() != StatusCode::kCorruption) {
      return Status::IOError("cannot open chunk file " + dir + "/" + chunk->file_name + ": " +
                             handle.status().ToString() +
                             "; fix the file system error and start again");
    }
    // Damaged since index.silt was written: skip it, keep serving the others.
    ++report->corrupt_chunks;
    report->problems.push_back(dir + "/" + chunk->file_name + ": skipped: " +
                               handle.status().ToString());
    std::string name = chunk->file_name;
    uint64_t size = chunk->file_size;
    SILT_RETURN_IF_ERROR(index.RemoveChunk(name));
    index.AddSkippedChunk({name, size, std::string(handle.status().message())}).IgnoreError();
  }
  if (partition->chunks.empty()) return Status::Ok();
  report->chunks += partition->chunks.size();
  ++report->partitions;
  partition->tenant = index.tenant();
  partition->dir = dir;
  partition->start = index.partition_start();
  partition->end = index.partition_end();
  partition->index = std::make_shared<const index::PartitionIndex>(std::move(index));
  std::lock_guard lock(mu_);
  PublishLocked(std::move(partition));
  return Status::Ok();
}

Result<CatalogLoadReport> ChunkCatalog::Load() {
  CatalogLoadReport report;
  std::string tenants_dir = TenantsDir(data_dir_);
  if (!fs_->FileExists(tenants_dir)) return report;
  SILT_ASSIGN_OR_RETURN(auto tenants, fs_->ListDir(tenants_dir));
  for (const std::string& tenant : tenants) {
    std::string tenant_dir = tenants_dir + "/" + tenant;
    if (!ValidateTenantId(tenant).ok()) {
      report.problems.push_back(tenant_dir + ": not a tenant directory, ignored");
      continue;
    }
    SILT_ASSIGN_OR_RETURN(auto partitions, fs_->ListDir(tenant_dir));
    for (const std::string& partition : partitions) {
      std::string dir = tenant_dir + "/" + partition;
      auto info = fs_->Stat(dir);
      if (!info.ok() || !info->is_directory) continue;
      SILT_RETURN_IF_ERROR(LoadPartitionDir(dir, &report));
    }
  }
  return report;
}

uint64_t ChunkCatalog::CoveredSequence(std::string_view tenant, int64_t partition_start) const {
  std::lock_guard lock(mu_);
  auto it = partitions_.find(Key(std::string(tenant), partition_start));
  return it == partitions_.end() ? 0 : it->second->covered_sequence;
}

uint64_t ChunkCatalog::MaxCoveredSequence() const {
  std::lock_guard lock(mu_);
  return max_covered_;
}

std::vector<std::shared_ptr<const PartitionChunks>> ChunkCatalog::Partitions(
    std::string_view tenant, int64_t from, int64_t through) const {
  std::vector<std::shared_ptr<const PartitionChunks>> out;
  std::lock_guard lock(mu_);
  auto it = partitions_.lower_bound(Key(std::string(tenant), INT64_MIN));
  for (; it != partitions_.end() && it->first.first == tenant; ++it) {
    const PartitionChunks& p = *it->second;
    if (p.start < through && from < p.end) out.push_back(it->second);
  }
  return out;
}

std::vector<std::string> ChunkCatalog::Tenants() const {
  std::vector<std::string> out;
  std::lock_guard lock(mu_);
  for (const auto& [key, partition] : partitions_) {
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  }
  return out;
}

size_t ChunkCatalog::chunk_count() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, partition] : partitions_) n += partition->chunks.size();
  return n;
}

}  // namespace silt::engine
