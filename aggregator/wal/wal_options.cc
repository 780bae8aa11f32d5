#include "aggregator/wal/wal_options.h"

namespace silt::wal {

Status ValidateWalOptions(const WalOptions& options) {
  if (options.fs == nullptr) return Status::InvalidArgument("WAL options: fs is not set");
  if (options.dir.empty()) return Status::InvalidArgument("WAL options: dir is empty");
  if (options.max_segment_bytes < kSegmentHeaderSize + kRecordHeaderSize) {
    return Status::InvalidArgument(
        "WAL options: max_segment_bytes is " + std::to_string(options.max_segment_bytes) +
        "; it must be at least " + std::to_string(kSegmentHeaderSize + kRecordHeaderSize));
  }
  if (options.min_next_sequence == 0 || options.min_next_sequence > kMaxSequence) {
    return Status::InvalidArgument("WAL options: min_next_sequence " +
                                   std::to_string(options.min_next_sequence) + " is outside 1.." +
                                   std::to_string(kMaxSequence));
  }
  return Status::Ok();
}

}  // namespace silt::wal
