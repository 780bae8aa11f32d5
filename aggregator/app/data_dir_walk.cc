#include "aggregator/app/data_dir_walk.h"

#include <algorithm>

#include "aggregator/engine/data_layout.h"

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

}  // namespace

Result<std::unique_ptr<fs::FileLock>> LockDataDir(fs::FileSystem* fs,
                                                  const std::string& data_dir) {
  if (!fs->FileExists(data_dir)) {
    return Status::NotFound("data directory " + data_dir +
                            " does not exist; pass the server's data_dir with --data-dir");
  }
  Result<std::unique_ptr<fs::FileLock>> lock = fs->LockFile(engine::DataDirLockPath(data_dir));
  if (!lock.ok()) return lock.status().WithContext("data directory " + data_dir);
  return lock;
}

Result<std::vector<PartitionDir>> ListPartitionDirs(fs::FileSystem* fs, const std::string& data_dir,
                                                    const std::string& tenant) {
  std::vector<std::string> tenants;
  if (!tenant.empty()) {
    SILT_RETURN_IF_ERROR(engine::ValidateTenantId(tenant));
    if (!fs->FileExists(engine::TenantDir(data_dir, tenant))) {
      return Status::NotFound("tenant " + tenant + " has no data in " + data_dir + " (no " +
                              engine::TenantDir(data_dir, tenant) + ")");
    }
    tenants.push_back(tenant);
  } else if (fs->FileExists(engine::TenantsDir(data_dir))) {
    SILT_ASSIGN_OR_RETURN(tenants, SubDirs(fs, engine::TenantsDir(data_dir)));
  }
  std::vector<PartitionDir> partitions;
  for (const std::string& t : tenants) {
    if (!engine::ValidateTenantId(t).ok()) continue;  // not a tenant directory
    const std::string tenant_dir = engine::TenantDir(data_dir, t);
    SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, SubDirs(fs, tenant_dir));
    for (const std::string& name : names) {
      partitions.push_back(PartitionDir{t, name, tenant_dir + "/" + name});
    }
  }
  return partitions;
}

}  // namespace silt::aggregator
