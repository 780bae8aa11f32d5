#include "aggregator/app/rebuild_index_command.h"

#include <memory>
#include <vector>

#include "aggregator/app/counted.h"
#include "aggregator/app/data_dir_walk.h"
#include "aggregator/index/index_loader.h"
#include "shared/fs/posix_file_system.h"

namespace silt::aggregator {
namespace {

void RebuildPartition(fs::FileSystem* fs, const PartitionDir& partition, std::FILE* out,
                      log::Logger* logger, RebuildIndexReport* report) {
  const std::string name = partition.tenant + "/" + partition.name;
  Result<index::IndexLoadReport> rebuilt = index::RebuildIndex(fs, partition.path);
  if (!rebuilt.ok()) {
    ++report->failed_partitions;
    std::fprintf(out, "%s: not rebuilt, its index.silt is unchanged: %s\n", name.c_str(),
                 rebuilt.status().ToString().c_str());
    logger->Error("rebuild-index", name + ": " + rebuilt.status().ToString());
    return;
  }
  ++report->partitions;
  report->chunk_files += rebuilt->chunk_files;
  report->chunks_indexed += rebuilt->chunks_indexed;
  report->chunks_skipped += rebuilt->chunks_skipped;
  std::fprintf(out, "%s: %s, %zu indexed, %zu skipped\n", name.c_str(),
               Counted(rebuilt->chunk_files, "chunk file").c_str(), rebuilt->chunks_indexed,
               rebuilt->chunks_skipped);
  for (const std::string& problem : rebuilt->problems) {
    std::fprintf(out, "  skipped %s\n", problem.c_str());
  }
}

}  // namespace

Result<RebuildIndexReport> RunRebuildIndex(const RebuildIndexOptions& options, std::FILE* out,
                                           log::Logger* logger) {
  fs::PosixFileSystem fs;
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<fs::FileLock> lock, LockDataDir(&fs, options.data_dir));
  SILT_ASSIGN_OR_RETURN(std::vector<PartitionDir> partitions,
                        ListPartitionDirs(&fs, options.data_dir, options.tenant));
  RebuildIndexReport report;
  for (const PartitionDir& partition : partitions) {
    RebuildPartition(&fs, partition, out, logger, &report);
  }
  std::fprintf(out, "%s rebuilt, %zu failed; %s, %zu indexed, %zu skipped\n",
               Counted(report.partitions, "partition").c_str(), report.failed_partitions,
               Counted(report.chunk_files, "chunk file").c_str(), report.chunks_indexed,
               report.chunks_skipped);
  return report;
}

}  // namespace silt::aggregator
