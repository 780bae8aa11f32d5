// WalWriter: appends records to the WAL with group commit. Append may be called from any thread:
// it checksums the payload, copies the record into the queue under a short mutex and returns.
// AppendInPlace instead lets the caller write the payload straight into the queue (no copy, no
// buffer of the caller's) and checksums it there, both under the mutex: other appends and the
// writer thread's taking of the queue wait for that write, so it must be a plain encoding. A
// dedicated writer thread takes everything queued, numbers the records in queue order, writes
// them with one WritableFile::Append, makes them durable with one fdatasync (plus an fsync of the
// directory when the batch created the segment) and only then runs their callbacks, in sequence
// order, on the writer thread. Nothing is acknowledged before it is durable. Synced segment bytes
// are then dropped from the page cache (WritableFile::DropSyncedPages): only recovery reads them.
// With WalOptions::direct_io segments come from FileSystem::NewDirectWritableFile and most of
// their bytes never enter the page cache at all (same bytes, same fdatasync per commit).
//
// Failures: a full disk while writing (ENOSPC) is backpressure: the bytes that reached the file
// are cut off again (truncate + fdatasync), every append queued behind that batch by then fails
// with it (so no record queued after a refused one becomes durable before the refusal is known:
// see AppendHooks), their callbacks get ResourceExhausted, and the writer goes on. Any other
// failure of a write, fdatasync, directory fsync, create or close is fatal: every queued and
// in-flight append fails with an IOError naming the operation and path, later appends fail at once,
// status() keeps the error and WalOptions::on_fatal is called once. The aggregator must then be
// restarted so recovery can repair the directory; a failed fdatasync is never retried.
//
// Segments: the first batch after Open creates a new segment (kMustNotExist); the writer never
// appends to a segment recovery read. A segment is sealed (fdatasync, close) when the next record
// would take it past WalOptions::max_segment_bytes.
//
// Thread-safety: every public method is thread-safe.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "aggregator/wal/batch_buffer.h"
#include "aggregator/wal/wal_options.h"
#include "aggregator/wal/wal_stats.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::wal {

// Completion of one Append: OK and the record's sequence number once it is durable, otherwise
// the error and 0.
using AppendCallback = std::function<void(const Status& status, uint64_t sequence)>;

// Completion of one AppendInPlace: as AppendCallback, plus the record's payload as it sits in the
// writer's queue (on OK exactly the bytes now durable in the WAL). The view is valid only during
// the call.
using PayloadCallback =
    std::function<void(const Status& status, uint64_t sequence, std::string_view payload)>;

// Writes a record's payload into `out` (the writer's queue memory, of the size announced to
// AppendInPlace) and returns how many bytes it wrote, which must be out.size(). It runs under the
// queue lock: it must not call into the WalWriter, and the bytes it writes must not depend on
// anything that can change while it runs.
using PayloadWriter = std::function<size_t(std::span<char> out)>;

// Optional hooks of one Append, for clients whose records must become durable in order (pipelined
// agent sources: aggregator/engine/source_marks.h, "Order"). Both run under the WAL's queue lock:
// quick, and they must not call into the WalWriter.
struct AppendHooks {
  // Runs right before the record is queued; its error is returned by Append, nothing queued.
  std::function<Status()> admit;
  // Runs when the record is refused for lack of space (its batch did not fit, or it was queued
  // behind one that did not), before any callback of that refusal and before anything else can
  // be queued. So a record is either queued before a refusal (and fails with it) or admitted
  // after the refused records' `refused` hooks ran.
  std::function<void()> refused;
};

class WalWriter {
 public:
  // Starts the writer thread for the WAL in options.dir, after recovery. `lock` is the directory
  // lock, held until the writer is destroyed. `next_sequence` is the first number to hand out
  // (RecoveryReport::next_sequence) and `checkpoint_sequence` the checkpoint recovery started
  // from. No file is touched until the first append. InvalidArgument for bad options.
  static Result<std::unique_ptr<WalWriter>> Open(const WalOptions& options,
                                                 std::unique_ptr<fs::FileLock> lock,
                                                 uint64_t next_sequence,
                                                 uint64_t checkpoint_sequence);
  // Closes (see Close) if still open.
  ~WalWriter();

  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Queues a record of `type` with a copy of `payload`. OK: `done` is called exactly once, later,
  // from the writer thread: with OK and the sequence number once the record is durable;
  // ResourceExhausted if the disk was full (nothing of the record stays in the WAL; retry later);
  // IOError if the WAL stopped. Not OK: nothing was queued and `done` is never called:
  // InvalidArgument (payload over max_payload_bytes), ResourceExhausted (queue over
  // max_queue_bytes: back off), Unavailable (closed), IOError (the WAL stopped: status()).
  // `done` runs on the writer thread and holds up every other append while it runs: it must be
  // quick and must not call AppendSync or Close (Append is fine).
  // `hooks`: see AppendHooks.
  Status Append(uint8_t type, std::string_view payload, AppendCallback done,
                AppendHooks hooks = {});
  // Append without the copy: reserves `payload_size` bytes in the queue, lets `write` fill them
  // (see PayloadWriter), computes the record header and the payload's XXH3 over them, then
  // queues the record exactly as Append would (same bytes on disk). `done` gets the payload's
  // bytes (see PayloadCallback). Results as Append's, and when `write` reports another size than
  // `payload_size`: InvalidArgument, nothing queued, `done` never called. `write` runs only after
  // every check passed and the `admit` hook agreed; it is not called when Append fails before.
  Status AppendInPlace(uint8_t type, size_t payload_size, const PayloadWriter& write,
                       PayloadCallback done, AppendHooks hooks = {});
  // Append, then wait until the record is durable: its sequence number, or the error (as the
  // callback would get it, or as Append returned it). Must not be called from a callback.
  Result<uint64_t> AppendSync(uint8_t type, std::string_view payload);

  // Replaces the checkpoint file with (sequence, state): every record <= `sequence` is durable
  // outside the WAL. InvalidArgument when `sequence` is below the current checkpoint or above
  // the last durable record; the file system's error on failure (the previous checkpoint stays
  // in force); the stop error once the WAL stopped.
  Status WriteCheckpoint(uint64_t sequence, std::string_view state);
  // Deletes every segment whose records all have sequence numbers <= `sequence` (segment i holds
  // [first_i, first_{i+1} - 1]; the newest and the active segment are never deleted), then
  // fsyncs the directory. InvalidArgument when `sequence` is above the checkpoint written last
  // (write the checkpoint first); the file system's error on failure.
  Status DeleteSegmentsCoveredBy(uint64_t sequence);

  // Stops accepting appends, writes and syncs everything queued, runs its callbacks, closes the
  // segment and joins the writer thread. OK, or the error that stopped the WAL. Idempotent; must
  // not be called from a callback.
  Status Close();

  // OK while the WAL accepts writes; the fatal error once it stopped.
  Status status() const;
  bool Failed() const { return !status().ok(); }
  // The highest sequence number known durable (acknowledged, or recovered); 0 for none.
  uint64_t last_durable_sequence() const { return last_durable_.load(); }
  // The sequence of the checkpoint in force (recovered, or written last by this writer).
  uint64_t checkpoint_sequence() const;
  const WalStats& stats() const { return stats_; }
  const std::string& dir() const { return options_.dir; }

 private:
  struct Entry {
    size_t offset = 0;  // of the record in Batch::bytes
    size_t size = 0;    // header + payload
    AppendCallback done;
    PayloadCallback done_with_payload;  // instead of `done`, for AppendInPlace
    std::function<void()> refused;      // AppendHooks::refused
  };
  // Records queued together; their sequence fields are filled in by the writer thread.
  struct Batch {
    BatchBuffer bytes;
    std::vector<Entry> entries;
    // Unused bytes before the first record: with direct I/O they put each record at the offset
    // within a 4 KiB block it will most likely have in the segment, so the file can write whole
    // blocks straight from `bytes` (PosixDirectWritableFile::Append) instead of copying them.
    size_t lead = 0;
  };

  WalWriter(const WalOptions& options, std::unique_ptr<fs::FileLock> lock, uint64_t next_sequence,
            uint64_t checkpoint_sequence);

  // InvalidArgument when a payload of `size` bytes is over max_payload_bytes.
  Status CheckPayloadSize(size_t size) const;
  // Append's and AppendInPlace's work under the queue lock: the checks, `hooks.admit`, then
  // `write` into the pending batch and the header (with `*payload_hash` when known, else the
  // hash of what `write` wrote). `entry` brings the callback.
  Status Queue(uint8_t type, size_t payload_size, const uint64_t* payload_hash,
               const PayloadWriter& write, Entry entry, AppendHooks hooks);
  void Run();
  // Under the queue lock: runs the `refused` hooks of `batch`'s entries from `durable` on, moves
  // every queued append into *behind and runs theirs.
  void RefuseQueuedBehind(Batch& batch, size_t durable, Batch* behind);
  // Numbers and writes `batch`; the first `*durable` entries are durable whatever it returns.
  // ResourceExhausted: retryable, the rest was cut off again; any other error is fatal.
  Status WriteBatch(Batch& batch, size_t* durable);
  Status WriteRun(const Batch& batch, size_t begin, size_t end);
  Status CreateSegment(uint64_t first_sequence);
  Status RollBack(bool fresh_segment, uint64_t good_size, const Status& cause);
  Status SyncActive();
  Status SealActive();
  // The fatal error for a failed `what`, caused by `cause`.
  Status Fatal(const std::string& what, const Status& cause) const;
  // Enters the stopped state with `fatal`: later appends are refused, the segment is closed and
  // on_fatal is called. Returns what was queued, for the caller to fail.
  Batch Stop(const Status& fatal);
  void Complete(Batch& batch, uint64_t first_sequence, size_t durable, const Status& failure);
  void SetActiveFirstSequence(uint64_t sequence);
  // Writer thread, as it takes `taken` to write it: the lead for the batch queued behind it
  // (Batch::lead), from where `taken` will end in its segment (segment rolls included); 0
  // without direct I/O.
  size_t LeadAfter(const Batch& taken) const;

  const WalOptions options_;
  const std::unique_ptr<fs::FileLock> lock_;
  WalStats stats_;

  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  Batch pending_;                       // guarded by mu_
  uint64_t queued_bytes_ = 0;           // guarded by mu_: pending and in flight
  bool closing_ = false;                // guarded by mu_
  Status failure_;                      // guarded by mu_: non-OK once stopped
  uint64_t active_first_sequence_ = 0;  // guarded by mu_: 0 when no segment is open
  std::atomic<uint64_t> last_durable_{0};

  // Writer thread only.
  uint64_t next_sequence_;
  std::unique_ptr<fs::WritableFile> active_;
  std::string segment_header_;  // of the active segment, written with its first run
  uint64_t active_size_ = 0;
  uint64_t active_records_ = 0;
  bool unsynced_ = false;
  bool dir_unsynced_ = false;

  mutable std::mutex checkpoint_mu_;  // serialises WriteCheckpoint and DeleteSegmentsCoveredBy
  uint64_t checkpoint_sequence_;      // guarded by checkpoint_mu_

  std::mutex close_mu_;  // one Close joins the thread
  std::thread thread_;
};

}  // namespace silt::wal
