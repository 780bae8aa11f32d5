// EngineOptions: everything the storage engine needs from its owner: where the data lives, the
// clock, and the knobs of the WAL, the head, the chunk files and the flusher. Plain data; the
// engine keeps its own copy. Defaults make a single node work with nothing configured.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "aggregator/store/chunk_writer.h"
#include "aggregator/store/head_options.h"
#include "shared/fs/file_system.h"
#include "shared/log/logger.h"
#include "shared/status/status.h"
#include "shared/time/clock.h"

namespace silt::engine {

inline constexpr int64_t kSecondNs = 1'000'000'000;

struct EngineOptions {
  // Required; must outlive the engine.
  fs::FileSystem* fs = nullptr;
  const time::Clock* clock = nullptr;
  // Optional; must outlive the engine. Recovery reports, flushes and failures are logged here.
  log::Logger* logger = nullptr;

  // <data_dir>/wal, <data_dir>/tenants/<tenant>/<partition>/chunk-<seq>.silt (DESIGN.md).
  std::string data_dir = "silt-data";

  // WAL (aggregator/wal/wal_options.h).
  uint64_t wal_segment_bytes = uint64_t{64} << 20;
  uint32_t max_record_bytes = uint32_t{64} << 20;
  uint64_t wal_max_queue_bytes = uint64_t{256} << 20;
  // WAL segments written with direct I/O where the file system supports it (WalOptions).
  bool wal_direct_io = true;

  // Head (aggregator/store/head_options.h): out-of-order window, memory bound, partition length,
  // and max_partition_age (an incomplete partition is flushed that long after it was created:
  // bounds WAL size and replay time). head.clock defaults to `clock`.
  store::HeadOptions head;
  // The flusher starts writing the largest partitions when the head holds more than this
  // fraction of head.max_bytes; pushes are refused (ResourceExhausted) above head.max_bytes.
  double flush_watermark = 0.5;

  // Chunk files written by flushes (tenant and partition bounds are filled in per file).
  store::ChunkWriterOptions chunk;

  // How often the flusher looks for work (complete partitions, memory, age).
  int64_t flush_check_interval_ns = 1 * kSecondNs;
  // Agent high-water marks not moved for this long are forgotten (DESIGN.md: 7 days).
  int64_t source_mark_expiry_ns = int64_t{7} * 24 * 3600 * kSecondNs;
  // Start the background flusher thread (tests call Flush themselves when false).
  bool background_flush = true;
};

// InvalidArgument naming the first bad field.
Status ValidateEngineOptions(const EngineOptions& options);

}  // namespace silt::engine
