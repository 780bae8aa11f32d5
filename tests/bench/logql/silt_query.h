// One Silt LogQL query of the scan benchmark, run in the calling process (the benchmark calls
// it in a child of its own): open the data directory as `silt-aggregator query` does
// (engine::StorageEngine, no background flusher), run the query through the real front end and
// executors (ParseQuery, Pipeline::Compile, PlanLogQuery + ExecuteLogQuery for a log query,
// ExecuteMetricQuery for a metric query), close, and report what it counted and read.
//
// Thread-safety: one call at a time per data directory (the engine locks it).
#pragma once

#include <cstdint>
#include <string>
#include <type_traits>

#include "shared/status/result.h"

namespace silt::bench {

struct SiltQuery {
  enum class Kind : unsigned char {
    kInstantCount,  // metric query at `end`; its result is one number: the count
    kLogCount,      // log query over [start, end], forward, `limit`; counts the entries returned
    kRange,         // range metric query start..end by `step`; counts the points returned
  };
  Kind kind = Kind::kInstantCount;
  std::string text;  // LogQL
  bool use_blooms = false;
  int64_t start = 0;    // ns
  int64_t end = 0;      // ns, inclusive
  int64_t step = 0;     // ns (kRange)
  size_t limit = 5000;  // kLogCount; reaching it is an error (the count would be cut short)
};

// What one query counted and read. Trivially copyable: sent from a child as bytes.
struct SiltFigures {
  uint64_t count = 0;   // matches (kInstantCount, kLogCount) or points (kRange)
  uint64_t series = 0;  // of a kRange result
  uint64_t lines_processed = 0;
  uint64_t bytes_processed = 0;
  uint64_t blocks_read = 0;
  uint64_t blocks_skipped = 0;  // by bloom
  uint64_t blocks_failed = 0;   // unreadable; must stay 0
  double open_cpu_s = 0;        // engine Open (catalog load, WAL replay), user + sys
  double query_cpu_s = 0;       // the query alone, user + sys
  double query_wall_s = 0;
};
static_assert(std::is_trivially_copyable_v<SiltFigures>);

// Runs `query` for `tenant` on `data_dir`. The engine's, the parser's or the executor's error
// (with the query's text); ResourceExhausted when a kLogCount query reaches its limit;
// Corruption when blocks could not be read.
Result<SiltFigures> RunSiltQuery(const std::string& data_dir, const std::string& tenant,
                                 const SiltQuery& query);

}  // namespace silt::bench
