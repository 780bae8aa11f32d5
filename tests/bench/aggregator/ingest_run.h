// One durable ingest run of the ingest benchmark (ingest_bench.cc), in the calling process: open
// a StorageEngine (default options, background flusher, PosixFileSystem, system clock) in a fresh
// directory, push the generated data in agent-sized batches with several pushes awaiting their
// WAL fsync, Flush(kAll) and Close; then, untimed, sum what is stored. Or, with no data directory,
// only read the data and build the requests: the harness's own share of the cost.
//
// Thread-safety: RunIngest may be called from one thread at a time (the engine starts its own).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "shared/status/result.h"
#include "tests/bench/aggregator/ingest_data.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {

struct IngestRunOptions {
  DataFiles files;
  loggen::GeneratorOptions generator;    // that wrote `files` (for the stream labels)
  size_t batch_bytes = size_t{2} << 20;  // raw text per push
  int in_flight = 4;                     // pushes awaiting their fsync at once
  std::string data_dir;                  // fresh; empty: read and build requests only
  bool blooms = true;  // EngineOptions::chunk.build_blooms (off only to measure what they cost)
};

// What one run measured. Trivially copyable: sent from a child process as bytes.
struct IngestFigures {
  double wall_s = 0;         // Open to Close
  double push_wall_s = 0;    // Open to the last push acknowledged
  double finish_wall_s = 0;  // Flush(kAll) + Close
  double user_s = 0;
  double sys_s = 0;
  int64_t max_rss_kib = 0;  // at Close, before the stored bytes are examined
  uint64_t entries = 0;
  uint64_t pushes = 0;   // accepted by Push
  uint64_t retries = 0;  // pushes refused with ResourceExhausted, then retried after a backoff
  double backoff_s = 0;  // wall time spent waiting before those retries
  uint64_t entries_accepted = 0;
  uint64_t entries_rejected = 0;
  uint64_t flushes = 0;
  uint64_t flush_failures = 0;
  uint64_t checkpoints = 0;
  // Stored, after Close.
  uint64_t chunk_files = 0;
  uint64_t chunk_bytes = 0;
  uint64_t bloom_bytes = 0;  // inside the chunk files
  uint64_t blocks = 0;
  uint64_t stored_entries = 0;  // sum of the chunk footers' entry counts
  uint64_t index_files = 0;
  uint64_t index_bytes = 0;
  uint64_t wal_files = 0;
  uint64_t wal_bytes = 0;
  uint64_t other_bytes = 0;
  double cpu_s() const { return user_s + sys_s; }
};
static_assert(std::is_trivially_copyable_v<IngestFigures>);

// Runs as described above. The first error of the engine, of a push, or of reading the data
// files; a push refused with ResourceExhausted (head full) is retried instead, once the head is
// below its limit again (polled every 1 ms).
Result<IngestFigures> RunIngest(const IngestRunOptions& options);

}  // namespace silt::bench
