// The data set of the LogQL scan benchmark (logql_scan_bench.cc), prepared once in a work
// directory and reused by later runs with the same parameters:
//
//   raw.log       silt-loggen entries, each followed by '\n' (what `grep -F` reads)
//   raw.log.lz4   `lz4 -1` of raw.log, made by the real lz4 binary (what `lz4 -dc | grep` reads)
//   silt-data/    a Silt data directory holding the same entries in chunk files: pushed through
//                 engine::StorageEngine (PushSync in large batches, then Flush(kAll) and Close),
//                 with blooms, under tenant kBenchTenant
//   dataset.txt   what was generated (the parameters and the figures below); written last, so
//                 a directory without it is regenerated
//
// Generation and ingest run in a child process, so the benchmark's own process stays small and
// every measured child it forks starts from a small image.
//
// Thread-safety: call from a single-threaded process (it forks).
#pragma once

#include <cstdint>
#include <string>

#include "shared/status/result.h"
#include "tests/bench/loggen/generator.h"

namespace silt::bench {

inline constexpr char kBenchTenant[] = "bench";

struct DataSetOptions {
  std::string dir;                       // created when missing
  uint64_t bytes = 0;                    // raw text to generate (the entry crossing it included)
  loggen::GeneratorOptions generator;    // start_ns and step_ns spread the entries over the span
  size_t batch_bytes = size_t{4} << 20;  // raw text per PushSync
};

struct DataSet {
  std::string raw_path;
  std::string lz4_path;
  std::string silt_dir;
  bool reused = false;  // found complete in the directory, nothing regenerated
  uint64_t raw_bytes = 0;
  uint64_t entries = 0;
  uint64_t rare_entries = 0;  // entries the generator gave the rare token
  int64_t first_ts = 0;       // ns
  int64_t last_ts = 0;        // ns
  uint64_t lz4_bytes = 0;
  uint64_t silt_bytes = 0;   // every file under silt-data
  double prepare_cpu_s = 0;  // generation + ingest child, and lz4 (0 when reused)
};

// The simulated time between entries that spreads about `bytes` of entries of `line_size`
// bytes (0: natural, ~160 assumed) over `span_ns`, leaving a 2% margin so the last entry stays
// inside the span.
int64_t StepForSpan(uint64_t bytes, uint32_t line_size, int64_t span_ns);

// Reuses the data in options.dir when its dataset.txt records the same parameters; otherwise
// removes what is there and prepares it. IOError naming the file or command that failed
// (lz4 missing, disk full); InvalidArgument for bad generator options; the engine's errors.
Result<DataSet> PrepareDataSet(const DataSetOptions& options);

}  // namespace silt::bench
