#include "aggregator/store/head_options.h"

#include <limits>
#include <string>

namespace silt::store {
namespace {

Status OutOfRange(std::string_view field, const std::string& value, std::string_view range) {
  return Status::InvalidArgument("head options: " + std::string(field) + " is " + value +
                                 "; it must be " + std::string(range));
}

}  // namespace

Status ValidateHeadOptions(const HeadOptions& options) {
  if (options.out_of_order_window_ns < 0 || options.out_of_order_window_ns > time::kWeek) {
    return OutOfRange("out_of_order_window", time::FormatDuration(options.out_of_order_window_ns),
                      "between 0s and 1w");
  }
  if (options.max_bytes < (size_t{1} << 20)) {
    return OutOfRange("max_bytes", std::to_string(options.max_bytes) + " bytes",
                      "at least 1MiB (1048576 bytes)");
  }
  if (options.partition_ns < time::kSecond || options.partition_ns > time::kWeek) {
    return OutOfRange("partition", time::FormatDuration(options.partition_ns), "between 1s and 1w");
  }
  if (options.target_block_bytes < (size_t{4} << 10) ||
      options.target_block_bytes > (size_t{64} << 20)) {
    return OutOfRange("target_block_bytes", std::to_string(options.target_block_bytes) + " bytes",
                      "between 4KiB and 64MiB");
  }
  if (options.max_partition_age_ns < 0) {
    return OutOfRange("max_partition_age", time::FormatDuration(options.max_partition_age_ns),
                      "0s (disabled) or positive");
  }
  return Status::Ok();
}

std::optional<PartitionRange> PartitionOf(int64_t timestamp, int64_t partition_ns) {
  int64_t quotient = timestamp / partition_ns;
  if (timestamp % partition_ns < 0) --quotient;  // floor, not truncation
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (quotient < kMin / partition_ns || quotient > kMax / partition_ns - 1) return std::nullopt;
  int64_t start = quotient * partition_ns;
  return PartitionRange{start, start + partition_ns};
}

int64_t OldestAcceptableTimestamp(int64_t newest, int64_t window_ns) {
  if (newest < std::numeric_limits<int64_t>::min() + window_ns) {
    return std::numeric_limits<int64_t>::min();
  }
  return newest - window_ns;
}

}  // namespace silt::store
