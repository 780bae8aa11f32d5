// WAL recovery: reads every segment of a WAL directory in order, hands each intact record after
// the checkpoint to a callback, classifies and counts every kind of damage (docs/formats/wal.md
// gives the rule for each) and, in repair mode, fixes the newest segment's tail so that the
// directory ends on intact data: a torn or zero-filled tail is truncated, a segment left empty by
// a crash is removed. It never fails because of damaged data, only when the file system fails,
// a segment was written by a newer format version, or the callback fails.
//
// Not thread-safe with anything else touching the directory: in repair mode the caller holds the
// WAL directory lock (OpenWal does this).
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "aggregator/wal/checkpoint.h"
#include "aggregator/wal/recovery_report.h"
#include "aggregator/wal/wal_options.h"
#include "shared/status/result.h"

namespace silt::wal {

struct WalRecord {
  uint64_t sequence = 0;
  uint8_t type = 0;
  std::string_view payload;  // valid only during the callback
};

// Receives the records recovery replays, in strictly increasing sequence order. A non-OK status
// stops recovery, which then returns it and repairs nothing further.
using ReplayFn = std::function<Status(const WalRecord& record)>;

enum class RecoveryMode {
  kRepair,    // truncate or remove a damaged tail of the newest segment (startup)
  kReadOnly,  // change nothing (inspection tools)
};

// Recovers the WAL in options.dir, replaying records with a sequence number above
// checkpoint.checkpoint.sequence to `replay` (which may be empty). A corrupt checkpoint is
// reported and everything is replayed. Returns the report, whose next_sequence is where a writer
// must continue. Errors: IOError and the like from the file system, InvalidArgument for a segment
// of an unknown format version, or the callback's status.
Result<RecoveryReport> RecoverWal(const WalOptions& options, const CheckpointReadResult& checkpoint,
                                  const ReplayFn& replay, RecoveryMode mode);

}  // namespace silt::wal
