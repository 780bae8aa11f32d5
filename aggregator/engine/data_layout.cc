#include "aggregator/engine/data_layout.h"

#include <cstdio>

#include "shared/time/civil_time.h"

namespace silt::engine {
namespace {

constexpr int64_t kHourNs = int64_t{3600} * 1'000'000'000;
constexpr std::string_view kChunkPrefix = "chunk-";
constexpr std::string_view kChunkSuffix = ".silt";
constexpr size_t kChunkDigits = 16;

bool IsTenantChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '-';
}

}  // namespace

Status ValidateTenantId(std::string_view tenant) {
  bool ok = !tenant.empty() && tenant.size() <= 64 && tenant != "." && tenant != "..";
  for (char c : tenant) ok = ok && IsTenantChar(c);
  if (ok) return Status::Ok();
  return Status::InvalidArgument("invalid tenant id '" + std::string(tenant.substr(0, 80)) +
                                 "': use 1 to 64 characters from [a-zA-Z0-9_.-], not '.' or '..'");
}

int64_t PartitionStart(int64_t timestamp_ns, int64_t partition_ns) {
  int64_t q = timestamp_ns / partition_ns;
  if (timestamp_ns % partition_ns != 0 && timestamp_ns < 0) --q;
  return q * partition_ns;
}

std::string WalDir(const std::string& data_dir) { return data_dir + "/wal"; }

std::string DataDirLockPath(const std::string& data_dir) { return data_dir + "/LOCK"; }

std::string TenantsDir(const std::string& data_dir) { return data_dir + "/tenants"; }

std::string TenantDir(const std::string& data_dir, std::string_view tenant) {
  return TenantsDir(data_dir) + "/" + std::string(tenant);
}

std::string PartitionDirName(int64_t partition_start_ns, int64_t partition_ns) {
  time::CivilTime t = time::ToCivilTime(partition_start_ns);
  char buf[32];
  if (partition_ns % kHourNs == 0) {
    std::snprintf(buf, sizeof(buf), "%04lld%02d%02d%02d", static_cast<long long>(t.year), t.month,
                  t.day, t.hour);
  } else {
    std::snprintf(buf, sizeof(buf), "%04lld%02d%02d%02d%02d", static_cast<long long>(t.year),
                  t.month, t.day, t.hour, t.minute);
  }
  return buf;
}

std::string PartitionDir(const std::string& data_dir, std::string_view tenant,
                         int64_t partition_start_ns, int64_t partition_ns) {
  return TenantDir(data_dir, tenant) + "/" + PartitionDirName(partition_start_ns, partition_ns);
}

std::string ChunkFileName(uint64_t wal_seq_hi) {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "chunk-%016llu.silt", static_cast<unsigned long long>(wal_seq_hi));
  return buf;
}

std::optional<uint64_t> ParseChunkFileName(std::string_view name) {
  if (name.size() != kChunkPrefix.size() + kChunkDigits + kChunkSuffix.size() ||
      !name.starts_with(kChunkPrefix) || !name.ends_with(kChunkSuffix)) {
    return std::nullopt;
  }
  uint64_t value = 0;
  for (char c : name.substr(kChunkPrefix.size(), kChunkDigits)) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

}  // namespace silt::engine
