// HeadOptions: the knobs of the in-memory head (head.h): the out-of-order window, the memory
// limit, the time partition length, the size of in-memory line blocks and the age after which a
// live partition is flushed. Also the partition arithmetic shared by the head and the flusher.
// Plain data and stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "shared/status/status.h"
#include "shared/time/clock.h"
#include "shared/time/duration.h"

namespace silt::store {

struct HeadOptions {
  // Check rejects an entry older than its stream's newest timestamp minus this (Loki's default
  // is 1h). 0 .. 1 week; 0 rejects every entry older than the newest.
  int64_t out_of_order_window_ns = time::kHour;
  // OverLimit() once the head (live and frozen partitions) holds more than this many bytes; then
  // FlushCandidates names the largest partitions. At least 1 MiB.
  size_t max_bytes = size_t{256} << 20;
  // Length of a time partition; partition starts are multiples of it since the epoch. 1s .. 1w.
  int64_t partition_ns = time::kHour;
  // Line bytes are stored in append-only blocks that grow up to this size. 4 KiB .. 64 MiB.
  size_t target_block_bytes = size_t{256} << 10;
  // FlushCandidates names a live partition created at least this long ago (monotonic time of
  // `clock`); Loki's max_chunk_age is 2h. 0 disables the rule, as does a null clock.
  int64_t max_partition_age_ns = 2 * time::kHour;
  // Read for partition ages only (MonotonicNanos). Optional; must outlive the Head.
  const time::Clock* clock = nullptr;
};

// OK, or InvalidArgument naming the first bad field, its value and the allowed range.
Status ValidateHeadOptions(const HeadOptions& options);

// The time range [start, end) of one partition.
struct PartitionRange {
  int64_t start = 0;
  int64_t end = 0;
  friend bool operator==(const PartitionRange&, const PartitionRange&) = default;
  bool Contains(int64_t timestamp) const { return timestamp >= start && timestamp < end; }
};

// The partition holding `timestamp`: start = floor(timestamp / partition_ns) * partition_ns
// (also for negative timestamps). nullopt when start or end does not fit int64 (timestamps in
// the first or last partial partition of the int64 range). Precondition: partition_ns > 0.
std::optional<PartitionRange> PartitionOf(int64_t timestamp, int64_t partition_ns);
// The same, returning `previous` when it already holds `timestamp`: a batch's consecutive entries
// nearly always share a partition, and this skips the divisions for them.
inline std::optional<PartitionRange> PartitionOf(int64_t timestamp, int64_t partition_ns,
                                                 const std::optional<PartitionRange>& previous) {
  if (previous && previous->Contains(timestamp)) return previous;
  return PartitionOf(timestamp, partition_ns);
}

// The oldest timestamp Check accepts for a stream whose newest entry is `newest`:
// newest - window, saturating at INT64_MIN.
int64_t OldestAcceptableTimestamp(int64_t newest, int64_t window_ns);

}  // namespace silt::store
