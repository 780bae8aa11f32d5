#include "aggregator/app/rebuild_index_command.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "aggregator/engine/data_layout.h"
#include "aggregator/index/index_loader.h"
#include "shared/fs/posix_file_system.h"

namespace silt::aggregator {
namespace {

// The directories under `dir`, sorted (ListDir's order is the file system's).
Result<std::vector<std::string>> SubDirs(fs::FileSystem* fs, const std::string& dir) {
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, fs->ListDir(dir));
  std::vector<std::string> dirs;
  for (const std::string& name : names) {
    Result<fs::FileInfo> info = fs->Stat(dir + "/" + name);
    if (info.ok() && info->is_directory) dirs.push_back(name);
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

void RebuildPartition(fs::FileSystem* fs, const std::string& tenant, const std::string& partition,
                      const std::string& dir, std::FILE* out, log::Logger* logger,
                      RebuildIndexReport* report) {
  const std::string name = tenant + "/" + partition;
  Result<index::IndexLoadReport> rebuilt = index::RebuildIndex(fs, dir);
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
  std::fprintf(out, "%s: %zu chunk files, %zu indexed, %zu skipped\n", name.c_str(),
               rebuilt->chunk_files, rebuilt->chunks_indexed, rebuilt->chunks_skipped);
  for (const std::string& problem : rebuilt->problems) {
    std::fprintf(out, "  skipped %s\n", problem.c_str());
  }
}

}  // namespace

Result<RebuildIndexReport> RunRebuildIndex(const RebuildIndexOptions& options, std::FILE* out,
                                           log::Logger* logger) {
  fs::PosixFileSystem fs;
  if (!fs.FileExists(options.data_dir)) {
    return Status::NotFound("data directory " + options.data_dir +
                            " does not exist; pass the server's data_dir with --data-dir");
  }
  if (!options.tenant.empty()) SILT_RETURN_IF_ERROR(engine::ValidateTenantId(options.tenant));
  // As the engine does: a running server (or another subcommand) holds it for as long as it runs.
  Result<std::unique_ptr<fs::FileLock>> lock =
      fs.LockFile(engine::DataDirLockPath(options.data_dir));
  if (!lock.ok()) return lock.status().WithContext("data directory " + options.data_dir);

  RebuildIndexReport report;
  const std::string tenants_dir = engine::TenantsDir(options.data_dir);
  std::vector<std::string> tenants;
  if (!options.tenant.empty()) {
    if (!fs.FileExists(engine::TenantDir(options.data_dir, options.tenant))) {
      return Status::NotFound("tenant " + options.tenant + " has no data in " +
                              options.data_dir + " (no " +
                              engine::TenantDir(options.data_dir, options.tenant) + ")");
    }
    tenants.push_back(options.tenant);
  } else if (fs.FileExists(tenants_dir)) {
    SILT_ASSIGN_OR_RETURN(tenants, SubDirs(&fs, tenants_dir));
  }
  for (const std::string& tenant : tenants) {
    if (!engine::ValidateTenantId(tenant).ok()) continue;  // not a tenant directory
    const std::string tenant_dir = engine::TenantDir(options.data_dir, tenant);
    SILT_ASSIGN_OR_RETURN(std::vector<std::string> partitions, SubDirs(&fs, tenant_dir));
    for (const std::string& partition : partitions) {
      RebuildPartition(&fs, tenant, partition, tenant_dir + "/" + partition, out, logger,
                       &report);
    }
  }
  std::fprintf(out,
               "%zu partitions rebuilt, %zu failed; %zu chunk files, %zu indexed, %zu skipped\n",
               report.partitions, report.failed_partitions, report.chunk_files,
               report.chunks_indexed, report.chunks_skipped);
  return report;
}

}  // namespace silt::aggregator
