// WalStats: counters of one WAL writer, for wiring code to export as metrics. Every field is a
// relaxed atomic: written by the writer thread (and by Append for the rejections), readable from
// any thread at any time. Totals only grow; `queued_bytes` and `stopped` are gauges.
#pragma once

#include <atomic>
#include <cstdint>

namespace silt::wal {

struct WalStats {
  // Records acknowledged as durable, their payload bytes, and every byte written for them
  // (headers, payloads and segment headers).
  std::atomic<uint64_t> records_appended{0};
  std::atomic<uint64_t> payload_bytes_appended{0};
  std::atomic<uint64_t> bytes_written{0};
  // Group commits that completed (one write and one fdatasync per segment they touched).
  std::atomic<uint64_t> group_commits{0};
  std::atomic<uint64_t> syncs{0};
  std::atomic<uint64_t> segments_created{0};
  std::atomic<uint64_t> segments_deleted{0};
  std::atomic<uint64_t> checkpoints_written{0};
  // Appends refused by the queue limit (WalOptions::max_queue_bytes) and appends failed because
  // the disk was full (both ResourceExhausted, both retryable).
  std::atomic<uint64_t> rejected_queue_full{0};
  std::atomic<uint64_t> rejected_no_space{0};
  // Appends failed because the WAL stopped after an I/O failure.
  std::atomic<uint64_t> failed_after_stop{0};
  // Bytes accepted by Append and not yet durable or failed.
  std::atomic<uint64_t> queued_bytes{0};
  // 1 once the WAL stopped accepting writes.
  std::atomic<uint64_t> stopped{0};
};

}  // namespace silt::wal
