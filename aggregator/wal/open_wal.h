// OpenWal: the one way to start using a WAL directory. It creates the directory if needed, locks
// it (<dir>/LOCK, so two processes never write one WAL), reads the checkpoint, replays every
// intact record after it, repairs the tail of the newest segment, and starts a WalWriter that
// continues the sequence in a new segment. The process starts even on a damaged WAL: the report
// says exactly what was dropped. Thread-safe as a function; the handler runs on the caller's
// thread.
#pragma once

#include <functional>
#include <memory>

#include "aggregator/wal/checkpoint.h"
#include "aggregator/wal/recovery_report.h"
#include "aggregator/wal/wal_options.h"
#include "aggregator/wal/wal_recovery.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/status/result.h"

namespace silt::wal {

struct ReplayHandler {
  // Called once, before any record, with the checkpoint replay starts after (sequence 0 and no
  // state when it is missing or corrupt). May be empty.
  std::function<Status(const Checkpoint& checkpoint)> on_checkpoint;
  // Called for each intact record after the checkpoint, in increasing sequence order. May be
  // empty.
  ReplayFn on_record;
};

struct OpenedWal {
  CheckpointReadResult checkpoint;
  RecoveryReport report;
  std::unique_ptr<WalWriter> writer;
};

// Opens the WAL in options.dir as described above. Errors: InvalidArgument for bad options or a
// segment written by a newer format version; Unavailable when another process holds the lock;
// the file system's error when it fails; a handler's status (recovery stops there).
Result<OpenedWal> OpenWal(const WalOptions& options, const ReplayHandler& handler);

}  // namespace silt::wal
