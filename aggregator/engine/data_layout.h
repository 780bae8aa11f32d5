// Where the engine's files live under the data directory (DESIGN.md "On disk"):
//
//   <data_dir>/wal/                                    the WAL (aggregator/wal)
//   <data_dir>/tenants/<tenant>/<partition>/chunk-<16-digit wal_seq_hi>.silt
//
// <partition> is the UTC start of the time partition: YYYYMMDDHH when partitions are whole hours
// (the default, one hour), YYYYMMDDHHMM otherwise. The chunk's own header holds the exact bounds;
// the names are for people and for listing. Tenant ids are `[a-zA-Z0-9_.-]{1,64}`, not `.` or
// `..`, so they are safe as directory names. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/status/status.h"

namespace silt::engine {

// InvalidArgument quoting the id and the rule when `tenant` is not a valid tenant id.
Status ValidateTenantId(std::string_view tenant);

// The start of the partition holding `timestamp_ns` (floor, also for times before 1970).
int64_t PartitionStart(int64_t timestamp_ns, int64_t partition_ns);

std::string WalDir(const std::string& data_dir);
// <data_dir>/LOCK: flock(2)ed by the process that has the data directory open; holds its pid.
std::string DataDirLockPath(const std::string& data_dir);
std::string TenantsDir(const std::string& data_dir);
std::string TenantDir(const std::string& data_dir, std::string_view tenant);
std::string PartitionDirName(int64_t partition_start_ns, int64_t partition_ns);
std::string PartitionDir(const std::string& data_dir, std::string_view tenant,
                         int64_t partition_start_ns, int64_t partition_ns);

std::string ChunkFileName(uint64_t wal_seq_hi);
// The wal_seq_hi of a chunk file name, or nullopt when `name` is not one (e.g. a `.tmp` file).
std::optional<uint64_t> ParseChunkFileName(std::string_view name);

}  // namespace silt::engine
