// Helpers for the operator subcommands that work on a data directory's files without opening the
// engine (rebuild-index, verify): take the directory's LOCK as the engine does, and list its
// partitions. Stateless; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::aggregator {

// Locks `data_dir` (<data_dir>/LOCK, as the engine does): NotFound naming the flag when the
// directory does not exist, Unavailable naming the holder's pid when a server or another
// subcommand has it.
Result<std::unique_ptr<fs::FileLock>> LockDataDir(fs::FileSystem* fs, const std::string& data_dir);

struct PartitionDir {
  std::string tenant;
  std::string name;  // the directory name, e.g. 2023111422
  std::string path;
};

// The partition directories of `tenant` (empty: of every tenant), sorted by tenant and name.
// NotFound when `tenant` has no directory; InvalidArgument for an invalid tenant id. Entries of
// the tenants directory that are not valid tenant ids, and files, are left out.
Result<std::vector<PartitionDir>> ListPartitionDirs(fs::FileSystem* fs, const std::string& data_dir,
                                                    const std::string& tenant);

}  // namespace silt::aggregator
