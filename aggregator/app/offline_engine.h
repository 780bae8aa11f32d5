// OfflineEngine: a StorageEngine opened on a data directory by an operator subcommand (dump,
// query, ingest) rather than by the server: no background flusher, the real file system and
// clock, and the directory's LOCK, so a directory a running server uses is refused with a
// message naming it and the server's pid. One place for this, so the subcommands agree.
// Thread-safety: as StorageEngine; the object owns what the engine borrows.
#pragma once

#include <memory>
#include <string>

#include "aggregator/engine/storage_engine.h"
#include "shared/fs/posix_file_system.h"
#include "shared/log/logger.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::aggregator {

class OfflineEngine {
 public:
  // Opens `data_dir` (recovering chunk files and replaying the WAL). NotFound when the directory
  // does not exist and `create` is false (naming it and the flag to pass); Unavailable when
  // another process holds its lock; the engine's errors otherwise. `logger` must outlive the
  // result.
  static Result<std::unique_ptr<OfflineEngine>> Open(const std::string& data_dir, bool create,
                                                     log::Logger* logger);

  engine::StorageEngine& engine() { return *engine_; }
  const time::Clock& clock() const { return clock_; }
  // Flushes nothing; closes the WAL. OK or the WAL's error.
  Status Close() { return engine_->Close(); }

 private:
  OfflineEngine() = default;

  fs::PosixFileSystem fs_;
  time::SystemClock clock_;
  std::unique_ptr<engine::StorageEngine> engine_;  // last: uses fs_ and clock_
};

}  // namespace silt::aggregator
