// QueryMemory: the per-query memory budget (issue 6: "a per-query memory budget for
// decompressed data and aggregation state"). The executors charge what a query *holds*, not
// what streams through it: the decompressed blocks its stream cursors keep (a k-way merge over
// N streams keeps N blocks), the log query's collected output entries, the range evaluator's
// buffered samples and per-series state, and the step vectors and aggregation groups of a metric
// query. Going over the limit fails the query with ResourceExhausted, in Loki's style, naming
// what used the memory and the option to raise.
//
// MemoryLease is the RAII side: bytes charged for one use, released when the lease is reset or
// destroyed, so every early return (an error, the deadline) gives its memory back.
//
// Thread-safety: none. A query runs on one thread (the executors call the engine, the pipeline
// and the evaluators synchronously), so one QueryMemory and its leases are used by one thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "shared/status/status.h"

namespace silt::logql::exec {

// What a charge is for; named in the error message.
enum class MemoryUse : unsigned char {
  kBlocks,   // decompressed chunk blocks kept by the stream cursors
  kEntries,  // the log query's collected output entries (lines, labels)
  kSamples,  // the range evaluator's buffered samples
  kSeries,   // per-series state: labels and bookkeeping of range series
  kSteps,    // metric step vectors and vector aggregation groups
};
inline constexpr size_t kMemoryUseCount = 5;

// Whether `status` is a QueryMemory's "over the limit" error (not a timeout or a read error).
bool IsMemoryLimitError(const Status& status);

class QueryMemory {
 public:
  // `limit_bytes` <= 0: no limit (charges are still counted, for peak()). `limit_name` is what
  // the operator changes to raise the limit (a config key or a flag), quoted in the error.
  explicit QueryMemory(int64_t limit_bytes, std::string limit_name = "max_query_memory_bytes");
  QueryMemory(const QueryMemory&) = delete;
  QueryMemory& operator=(const QueryMemory&) = delete;

  // Counts `bytes` for `use`. ResourceExhausted when the total would exceed the limit, e.g.
  // "query would use more than 512MiB of memory (decompressed blocks 400MiB, samples 130MiB);
  // narrow the time range or the selector, or raise max_query_memory_bytes"; nothing is counted
  // then.
  Status Charge(size_t bytes, MemoryUse use);
  // Gives back bytes charged before for `use` (precondition: at most what is counted).
  void Release(size_t bytes, MemoryUse use);

  size_t used() const { return used_; }
  size_t used(MemoryUse use) const { return by_use_[static_cast<size_t>(use)]; }
  // The most ever counted at once.
  size_t peak() const { return peak_; }
  int64_t limit() const { return limit_; }

 private:
  Status Exceeded(size_t bytes, MemoryUse use) const;

  int64_t limit_;
  std::string limit_name_;
  size_t used_ = 0;
  size_t peak_ = 0;
  std::array<size_t, kMemoryUseCount> by_use_{};
};

// Bytes charged to one QueryMemory for one use. A lease without memory (default, or built with
// nullptr) accepts every change and counts nothing. Move-only.
class MemoryLease {
 public:
  MemoryLease() = default;
  MemoryLease(QueryMemory* memory, MemoryUse use) : memory_(memory), use_(use) {}
  MemoryLease(MemoryLease&& other) noexcept;
  MemoryLease& operator=(MemoryLease&& other) noexcept;
  MemoryLease(const MemoryLease&) = delete;
  MemoryLease& operator=(const MemoryLease&) = delete;
  ~MemoryLease() { Reset(); }

  // Charges `bytes` more; the QueryMemory's error (and no change) when over the limit.
  Status Grow(size_t bytes);
  // Makes the lease hold `bytes`: charges or releases the difference.
  Status Resize(size_t bytes);
  // Releases everything held.
  void Reset();

  size_t bytes() const { return bytes_; }
  QueryMemory* memory() const { return memory_; }

 private:
  QueryMemory* memory_ = nullptr;
  MemoryUse use_ = MemoryUse::kBlocks;
  size_t bytes_ = 0;
};

}  // namespace silt::logql::exec
