// Head: the in-memory part of the store. Entries live here from the moment their WAL record is
// durable until the flusher has written their partition to a chunk file; queries read them at
// once. Layout: tenant -> time partition (start = floor(ts / partition_ns) * partition_ns) ->
// stream (by labels) -> StreamHead (stream_head.h).
//
// Ingest, for each stream of a push:
//   CheckResult check = head.Check(tenant, labels, entries);   // read-only: what will be refused
//   ... write the accepted entries to the WAL; once durable, with its sequence number:
//   head.Apply(tenant, labels, accepted, seq);                  // never refuses; drops duplicates
// Apply calls come in non-decreasing sequence order, and WAL replay repeats them after a crash:
// Apply's result depends only on the earlier Apply/Freeze calls, never on clocks.
//
// Rules: an entry older than its stream's newest timestamp minus the out-of-order window is
// refused by Check (Loki's rule and message), but Apply stores it (it is durable by then).
// Identical entries (timestamp, line, metadata pairs) within a stream and partition are stored
// once; Check reports them as duplicates, not errors. The window applies per stream across
// partitions; deduplication does not look into frozen partitions (a flushed partition's data is
// in its chunk file).
//
// Flushing: FlushCandidates names partitions to flush; Freeze takes one out of ingest (a later
// entry for it starts a fresh live partition) but leaves it visible to queries and counted in
// bytes() until Release, which the flusher calls once the chunk file is durable. So data never
// disappears from queries between freeze and chunk. MinUnflushedSequence tells the engine where
// the WAL may be checkpointed.
//
// Thread-safety: every method may be called from any thread. One mutex guards the structure;
// Apply holds it while copying its entries in, queries only while taking O(1) snapshots of the
// matching streams, and every iteration and label decoding happens outside it. bytes() and
// OverLimit() read an atomic and never block.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/block_pool.h"
#include "aggregator/store/frozen_partition.h"
#include "aggregator/store/head_options.h"
#include "aggregator/store/head_stream.h"
#include "aggregator/store/stream_head.h"
#include "shared/labels/label_set.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"

namespace silt::store {

// One entry offered to the head. Views are only read during the call.
struct HeadEntry {
  int64_t timestamp = 0;  // ns since the Unix epoch
  std::string_view line;
  std::span<const labels::LabelView> metadata;  // structured metadata, kept in this order
};

enum class EntryVerdict : unsigned char {
  kAccepted,    // Apply will store it
  kDuplicate,   // identical to an entry in the head or earlier in the batch: dropped, no error
  kTooOld,      // older than the stream's newest timestamp minus the out-of-order window
  kOutOfRange,  // in the partial partition at either end of the int64 range: never storable
};

struct EntryRejection {
  size_t index = 0;    // into the entries passed to Check
  std::string reason;  // for the client, e.g. Loki's "entry too far behind, ..."
};

struct CheckResult {
  std::vector<EntryVerdict> verdicts;      // one per entry, in order
  std::vector<EntryRejection> rejections;  // the kTooOld and kOutOfRange entries, in order
  size_t accepted = 0;
  size_t duplicates = 0;
};

struct ApplyStats {
  size_t appended = 0;
  size_t duplicates = 0;    // identical entries dropped
  size_t out_of_range = 0;  // kOutOfRange entries dropped (Check refuses them)
  int64_t bytes_delta = 0;  // change of bytes() (an index rebuilt smaller may shrink it)
};

enum class FlushReason : unsigned char {
  kComplete,  // partition end + out-of-order window <= the tenant's newest timestamp
  kAged,      // created max_partition_age ago or more
  kMemory,    // the live partitions hold more than max_bytes: the largest go first
};

struct FlushCandidate {
  PartitionKey key;
  FlushReason reason = FlushReason::kComplete;
  size_t bytes = 0;
};

// Totals since the head was created; bytes and partition counts are current values.
struct HeadStats {
  uint64_t entries_applied = 0;
  uint64_t duplicates_dropped = 0;     // by Apply
  uint64_t rejected_too_old = 0;       // by Check
  uint64_t rejected_out_of_range = 0;  // by Check
  size_t bytes = 0;
  size_t frozen_bytes = 0;
  size_t live_partitions = 0;
  size_t frozen_partitions = 0;
  size_t live_streams = 0;  // (partition, stream) pairs in live partitions
  // Freed line blocks kept for reuse (BlockPool, up to max_bytes / 2, what one flush at the
  // default watermark frees); not part of bytes.
  size_t pooled_bytes = 0;
};

class Head {
 public:
  // InvalidArgument (from ValidateHeadOptions) when an option is out of range.
  static Result<std::unique_ptr<Head>> Create(HeadOptions options);
  ~Head();
  Head(const Head&) = delete;
  Head& operator=(const Head&) = delete;

  const HeadOptions& options() const { return options_; }

  // What Apply would do with `entries` of the stream `labels` (validated, non-empty) of
  // `tenant` now, entry by entry in order: refusals (with reasons) for entries too far behind
  // the stream's newest timestamp (counting accepted entries earlier in the batch) or out of
  // range, and duplicates of stored entries or of earlier entries in the batch. Changes nothing
  // but the rejection counters.
  CheckResult Check(std::string_view tenant, const labels::LabelSet& labels,
                    std::span<const HeadEntry> entries) const;

  // Stores `entries` of the stream `labels` (validated, non-empty) of `tenant`, each in its
  // partition, dropping duplicates and out-of-range entries (never refusing for the window:
  // the WAL record `wal_sequence` already holds them). `wal_sequence` must not be below that of
  // an earlier Apply (equal is fine: one record may carry many streams); every partition the
  // call touches records it.
  ApplyStats Apply(std::string_view tenant, const labels::LabelSet& labels,
                   std::span<const HeadEntry> entries, uint64_t wal_sequence);

  // Heap bytes of live and frozen partitions and the per-stream window state.
  size_t bytes() const { return bytes_.load(std::memory_order_relaxed); }
  // bytes() > max_bytes: the engine should refuse pushes (ResourceExhausted) until flushes
  // catch up.
  bool OverLimit() const { return bytes() > options_.max_bytes; }

  // Live partitions to flush now: complete and aged ones (oldest partition first), then, while
  // the remaining live partitions hold more than max_bytes, the largest ones. Advisory: a
  // candidate may be gone by the time it is frozen.
  std::vector<FlushCandidate> FlushCandidates() const { return FlushCandidates(options_.max_bytes); }
  // The same, with memory flushes bringing the live partitions down to `memory_target` bytes
  // (the engine starts flushing below max_bytes so that pushes are refused only when flushing
  // cannot keep up).
  std::vector<FlushCandidate> FlushCandidates(size_t memory_target) const;
  // Every live partition, oldest first (a shutdown or a test flushes them all).
  std::vector<PartitionKey> LivePartitions() const;

  // Takes the live partition `key` out of ingest and returns it, or nullptr when there is none.
  // It stays visible to queries and counted in bytes() until Release.
  std::shared_ptr<const FrozenPartition> Freeze(const PartitionKey& key);
  // Forgets a frozen partition once its chunk is durable (and readable by queries). Returns
  // false when `frozen` is not (or no longer) held.
  bool Release(const std::shared_ptr<const FrozenPartition>& frozen);
  // Frozen partitions not yet released, e.g. to retry a failed flush.
  std::vector<std::shared_ptr<const FrozenPartition>> FrozenPartitions() const;

  // The smallest WAL sequence applied to any live or frozen partition, 0 when there is none:
  // the WAL is checkpointable up to MinUnflushedSequence() - 1 (or to the last applied sequence
  // when 0).
  uint64_t MinUnflushedSequence() const;

  // Reads. A stream qualifies when its labels match every matcher (Prometheus semantics) and it
  // has an entry with from <= timestamp < through. Results are sorted by labels.
  std::vector<HeadStream> Select(std::string_view tenant, std::span<const labels::Matcher> matchers,
                                 int64_t from, int64_t through) const;
  std::vector<labels::LabelSet> Series(std::string_view tenant,
                                       std::span<const labels::Matcher> matchers, int64_t from,
                                       int64_t through) const;
  // Sorted, unique names (values of `name`) over the qualifying streams.
  std::vector<std::string> LabelNames(std::string_view tenant,
                                      std::span<const labels::Matcher> matchers, int64_t from,
                                      int64_t through) const;
  std::vector<std::string> LabelValues(std::string_view tenant, std::string_view name,
                                       std::span<const labels::Matcher> matchers, int64_t from,
                                       int64_t through) const;

  HeadStats stats() const;

 private:
  struct LivePartition;
  struct Slot;
  struct StreamRecord;
  struct Tenant;

  explicit Head(HeadOptions options);

  // These create what is missing and add the bytes they allocate to *bytes_delta.
  // The live stream `labels` of the partition starting at `start`, or nullptr. Requires mu_.
  const StreamHead* LiveStream(const Tenant& tenant, int64_t start,
                               const labels::LabelSet& labels) const;
  Tenant& TenantFor(std::string_view name, int64_t* bytes_delta);
  StreamRecord& RecordFor(Tenant& tenant, const labels::LabelSet& labels, int64_t* bytes_delta);
  LivePartition& LiveFor(Tenant& tenant, const PartitionRange& range, uint64_t wal_sequence,
                         int64_t* bytes_delta);
  StreamHead& StreamFor(LivePartition& partition, const labels::LabelSet& labels,
                        StreamRecord& record, int64_t* bytes_delta);
  void SweepIdle(Tenant& tenant);
  // Calls on_frozen(const FrozenStream&) and on_live(labels, const StreamHead&) for every
  // qualifying stream piece, partitions in time order, frozen pieces before the live one.
  // Requires mu_.
  template <typename OnFrozen, typename OnLive>
  void ForEachQualifying(std::string_view tenant, std::span<const labels::Matcher> matchers,
                         int64_t from, int64_t through, OnFrozen on_frozen, OnLive on_live) const;

  const HeadOptions options_;
  const std::shared_ptr<BlockPool> pool_;
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Tenant>, std::less<>> tenants_;
  std::atomic<size_t> bytes_{0};
  size_t frozen_bytes_ = 0;
  mutable HeadStats counters_;  // the counting fields; the rest are filled by stats()
};

}  // namespace silt::store
