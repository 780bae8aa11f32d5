// WalOptions: everything the WAL needs from its owner. Wiring code fills one in and passes it to
// OpenWal (open_wal.h); tests swap the file system and the clock. Plain data; not thread-safe to
// mutate while a WAL uses it (the WAL keeps its own copy).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "aggregator/wal/wal_format.h"
#include "shared/fs/file_system.h"
#include "shared/status/status.h"

namespace silt::wal {

struct WalOptions {
  // Where every file goes through. Required; must outlive the WAL.
  fs::FileSystem* fs = nullptr;
  // The WAL directory (created with its parents when missing). Required.
  std::string dir;
  // A segment is closed and a new one started when the next record would take it past this size.
  // A single record larger than this gets a segment of its own. At least 64 bytes.
  uint64_t max_segment_bytes = kDefaultMaxSegmentBytes;
  // The largest payload Append accepts; recovery treats a longer length as damage, so it never
  // allocates more than this for one record. At most 4 GiB - 1.
  uint32_t max_payload_bytes = kDefaultMaxPayloadBytes;
  // Backpressure: Append fails with ResourceExhausted while this many payload and header bytes
  // are queued or being written (a record is always accepted into an empty queue). 0: no limit.
  uint64_t max_queue_bytes = uint64_t{256} << 20;
  // Write segments with direct I/O where the file system supports it
  // (FileSystem::NewDirectWritableFile): whole blocks bypass the page cache, which only recovery
  // would read them back from; the same bytes, the same fdatasync per group commit. Falls back
  // to page-cache writes by itself (tmpfs, FaultInjectionFileSystem, odd alignments).
  bool direct_io = true;
  // The writer never hands out a sequence number below this. The store passes one more than the
  // highest sequence number its flushed chunk files hold, so numbers stay increasing even if the
  // WAL directory was lost or replaced.
  uint64_t min_next_sequence = 1;
  // Wall-clock time in nanoseconds since the Unix epoch, stamped into new segment headers (for
  // people and tools; nothing depends on it). Unset: 0 is written.
  std::function<int64_t()> wall_clock_ns;
  // Called once, from the writer thread, when the WAL stops accepting writes after an I/O failure
  // (the status says where and why); the owner should log it loudly and mark itself unhealthy.
  std::function<void(const Status&)> on_fatal;
};

// InvalidArgument naming the bad field, or OK.
Status ValidateWalOptions(const WalOptions& options);

}  // namespace silt::wal
