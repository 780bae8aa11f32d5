// StorageEngine: the aggregator's durable core behind one write API and one read API. A push is
// checked against the head (too old entries are rejected with a reason), stripped of entries an
// agent already delivered (SourceMarks), written to the WAL as one record, and acknowledged only
// after that record is fdatasync'd; the same callback then applies the record to the head, so
// queries see it at once. A flusher thread freezes whole (tenant, partition) heads, writes each
// as a chunk file (temp + fsync + rename + directory fsync), publishes it, releases the head
// memory, and checkpoints the WAL so covered segments are deleted.
//
// Crash safety: recovery loads every chunk file, then replays the WAL after the checkpoint,
// applying a record's entries only to partitions whose chunk files do not already hold that
// record (chunk wal_seq_hi), so nothing acknowledged is lost and nothing is stored twice.
//
// Thread-safety: every public method is thread-safe. Push callbacks run on the WAL writer thread
// and must be quick.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "aggregator/engine/chunk_catalog.h"
#include "aggregator/engine/engine_options.h"
#include "aggregator/engine/live_feed.h"
#include "aggregator/engine/push_record.h"
#include "aggregator/engine/push_request.h"
#include "aggregator/engine/source_marks.h"
#include "aggregator/engine/stream_selection.h"
#include "aggregator/store/block_cache.h"
#include "aggregator/store/head.h"
#include "aggregator/wal/recovery_report.h"
#include "aggregator/wal/wal_writer.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"

namespace silt::engine {

// What happened to the entries of one push.
struct PushOutcome {
  uint64_t sequence = 0;   // of the WAL record; 0 when nothing had to be written
  size_t accepted = 0;     // durable now (exact duplicates of stored entries included)
  size_t redelivered = 0;  // already stored from an earlier delivery (agent high-water marks)
  size_t rejected = 0;     // refused (too old); see `rejections`
  // The first few rejections, each naming the stream, the entry's timestamp and the reason.
  std::vector<std::string> rejections;
};

using PushCallback = std::function<void(const Status& status, const PushOutcome& outcome)>;

// What recovery found at startup.
struct EngineRecovery {
  CatalogLoadReport chunks;
  wal::RecoveryReport wal;
  uint64_t records_applied = 0;  // replayed into the head
  uint64_t entries_applied = 0;
  uint64_t entries_already_in_chunks = 0;  // skipped: a chunk file holds their record
  uint64_t undecodable_records = 0;        // intact in the WAL but not a push this build reads
  std::vector<std::string> problems;
};

struct EngineStats {
  std::atomic<uint64_t> pushes{0};
  std::atomic<uint64_t> entries_accepted{0};
  std::atomic<uint64_t> entries_rejected{0};
  std::atomic<uint64_t> entries_redelivered{0};
  std::atomic<uint64_t> pushes_refused_memory{0};
  std::atomic<uint64_t> flushes{0};
  std::atomic<uint64_t> flush_failures{0};
  std::atomic<uint64_t> chunk_bytes_written{0};
  std::atomic<uint64_t> checkpoints{0};
};

class StorageEngine {
 public:
  // Validates the options, recovers (chunk files, then the WAL) and starts the flusher.
  // InvalidArgument for bad options; Unavailable when another process uses the data directory;
  // the file system's error when it fails. Damaged files do not stop it: see recovery().
  static Result<std::unique_ptr<StorageEngine>> Open(const EngineOptions& options);
  // Close(), ignoring its status (call Close first to see it).
  ~StorageEngine();

  StorageEngine(const StorageEngine&) = delete;
  StorageEngine& operator=(const StorageEngine&) = delete;

  // Writes `request` (its views must stay valid until Push returns). OK: `done` is called once,
  // later or already before Push returns, with OK and the outcome once everything accepted is
  // durable, or with the WAL's error (nothing acknowledged). Not OK, `done` never called:
  // InvalidArgument (bad tenant, empty labels, entry too large), ResourceExhausted (head memory
  // or WAL queue full: retry later), Unavailable (closed, an agent range still in flight, or
  // past a failed range of its source not resent yet: SourceMarks "Order"), IOError (the WAL
  // stopped after a failed fsync; the aggregator must restart).
  Status Push(PushRequest request, PushCallback done);
  // Push and wait for the outcome.
  Result<PushOutcome> PushSync(PushRequest request);

  enum class FlushScope {
    kDue,  // complete partitions, partitions over the age limit, and memory pressure
    kAll,  // everything in the head (clean shutdown, tests)
  };
  // Flushes on the caller's thread (serialised with the flusher), then checkpoints. The first
  // error; what was flushed before it stays flushed.
  Status Flush(FlushScope scope);

  // Stops the flusher and the WAL (everything already acknowledged is in the WAL; the head is
  // not flushed: call Flush(kAll) first for a fast restart). OK or the WAL's fatal error.
  // Idempotent.
  Status Close();

  // Reads: one seamless view of the head and the chunk files. A stream qualifies when its labels
  // match every matcher (Prometheus semantics) and it has an entry in [from, through).
  // InvalidArgument when the matchers cannot select anything from an index (none given, or all
  // of them match the empty string: Loki's rule, index::ValidateSelector).
  // Select: the qualifying streams with their data in the range, sorted by labels.
  Result<std::vector<StreamSelection>> Select(std::string_view tenant,
                                              std::span<const labels::Matcher> matchers,
                                              int64_t from, int64_t through) const;
  // The label sets of the qualifying streams, sorted.
  Result<std::vector<labels::LabelSet>> Series(std::string_view tenant,
                                               std::span<const labels::Matcher> matchers,
                                               int64_t from, int64_t through) const;
  // Sorted, unique label names (values of `name`) over the streams with data in the range that
  // match `matchers` (all of them when empty).
  Result<std::vector<std::string>> LabelNames(std::string_view tenant,
                                              std::span<const labels::Matcher> matchers,
                                              int64_t from, int64_t through) const;
  Result<std::vector<std::string>> LabelValues(std::string_view tenant, std::string_view name,
                                               std::span<const labels::Matcher> matchers,
                                               int64_t from, int64_t through) const;

  const EngineRecovery& recovery() const { return recovery_; }
  const EngineStats& stats() const { return stats_; }
  const store::Head& head() const { return *head_; }
  const ChunkCatalog& catalog() const { return *catalog_; }
  const store::ChunkReadCounters& read_counters() const { return read_counters_; }
  store::BlockCache* block_cache() const { return block_cache_.get(); }
  const EngineOptions& options() const { return options_; }
  // Every push applied to the head from now on, for live readers (/tail); see live_feed.h.
  LiveFeed& live_feed() const { return live_feed_; }
  // The last WAL sequence applied to the head.
  uint64_t last_applied_sequence() const { return last_applied_.load(); }

 private:
  explicit StorageEngine(const EngineOptions& options);

  Status Recover();
  Status ReplayRecord(uint64_t sequence, std::string_view payload);
  // Recovery: decodes a push record read from the WAL and applies its entries to the head,
  // except those of partitions whose chunk files already hold the record. Corruption when the
  // payload does not decode.
  Status ReplayPayload(uint64_t sequence, std::string_view payload);
  // A push just made durable: applies the entries from `payload` (the record's bytes in the WAL
  // writer's queue, exactly those now in the WAL) at the places `layout` recorded while encoding
  // them, without decoding the record, and offers them to the live feed.
  void ApplyDurable(uint64_t sequence, std::string_view payload, const PushLayout& layout,
                    const PushRequest& admitted);
  void OnDurable(const Status& status, uint64_t sequence, std::string_view payload,
                 const PushLayout& layout, const PushRequest& admitted, PushOutcome outcome,
                 const PushCallback& done);
  // Rejects too-old entries in place; returns how many were removed.
  size_t CheckAgainstHead(PushRequest* request, PushOutcome* outcome) const;

  void FlusherLoop();
  Status FlushLocked(FlushScope scope);
  // Writes, publishes and releases `frozen`. On failure it stays in the head.
  Status WriteFrozen(const std::shared_ptr<const store::FrozenPartition>& frozen);
  Status EnsurePartitionDir(const std::string& dir);
  // The chunk partitions of `tenant` in the range, taken together with the head's view (under
  // view_mu_) by the read methods.
  std::vector<std::shared_ptr<const PartitionChunks>> ChunkPartitions(std::string_view tenant,
                                                                      int64_t from,
                                                                      int64_t through) const;
  Status CheckpointLocked();

  EngineOptions options_;
  // <data_dir>/LOCK, taken before anything in the directory is read or repaired, so a second
  // process (a server, `silt-aggregator dump`) refuses to open a data directory in use. Declared
  // first: released last.
  std::unique_ptr<fs::FileLock> dir_lock_;
  EngineStats stats_;
  EngineRecovery recovery_;
  store::ChunkReadCounters read_counters_;
  std::unique_ptr<store::BlockCache> block_cache_;
  std::unique_ptr<ChunkCatalog> catalog_;
  std::unique_ptr<store::Head> head_;
  SourceMarks marks_;
  std::unique_ptr<wal::WalWriter> wal_;
  std::atomic<uint64_t> last_applied_{0};

  // Held while a WAL record is applied to the head and while a partition is frozen, so a
  // frozen partition holds every record up to its wal_seq_hi whole (recovery relies on it).
  std::mutex apply_mu_;
  // Readers take the head's and the catalog's views under a shared lock; a flush publishes a
  // chunk and releases its frozen head partition under the exclusive lock, so no query sees the
  // same entries twice or misses them.
  mutable std::shared_mutex view_mu_;
  std::mutex flush_mu_;  // one flush at a time
  // Frozen heads whose chunk file could not be written yet (guarded by flush_mu_).
  std::vector<std::shared_ptr<const store::FrozenPartition>> pending_;
  // Partition directories created and synced into their parents by this process (flush_mu_).
  std::set<std::string> durable_dirs_;
  std::mutex flusher_mu_;
  std::condition_variable flusher_cv_;
  bool stopping_ = false;  // guarded by flusher_mu_
  bool flush_kicked_ = false;
  std::thread flusher_;
  std::atomic<bool> closed_{false};
  // Declared last: destroyed first, so no delivery runs while the rest is torn down.
  mutable LiveFeed live_feed_;
};

}  // namespace silt::engine
