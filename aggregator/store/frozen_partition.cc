#include "aggregator/store/frozen_partition.h"

#include <algorithm>
#include <limits>
#include <utility>

namespace silt::store {

FrozenPartition::FrozenPartition(PartitionKey key, int64_t end, uint64_t wal_seq_lo,
                                 uint64_t wal_seq_hi, std::vector<FrozenStream> streams,
                                 size_t bytes)
    : key_(std::move(key)),
      end_(end),
      wal_seq_lo_(wal_seq_lo),
      wal_seq_hi_(wal_seq_hi),
      streams_(std::move(streams)),
      bytes_(bytes),
      min_ts_(std::numeric_limits<int64_t>::max()),
      max_ts_(std::numeric_limits<int64_t>::min()) {
  for (const FrozenStream& stream : streams_) {
    entries_ += stream.data.stats().entries;
    min_ts_ = std::min(min_ts_, stream.data.stats().min_ts);
    max_ts_ = std::max(max_ts_, stream.data.stats().max_ts);
  }
}

}  // namespace silt::store
