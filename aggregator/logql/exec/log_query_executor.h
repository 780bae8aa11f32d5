// ExecuteLogQuery: runs a planned log query (query_plan.h) against the storage engine, as Loki's
// querier does for a `streams` result:
//
//   1. StorageEngine::Select(tenant, plan.matchers, from, through): the matching streams;
//   2. per stream a StreamEntryIterator in the query direction, with the plan's block filter
//      (bloom skips), and the stream's StreamPipeline (Pipeline::ForStream) on every entry;
//   3. a k-way merge over the streams by timestamp (a heap: oldest first for kForward, newest
//      first for kBackward; equal timestamps by stream labels, then arrival order), stopping
//      after `limit` entries;
//   4. the kept entries grouped by their output labels into streams, sorted by labels, each
//      stream's values in the query direction.
//
// Limits: the query's limit must not exceed max_entries_limit (Loki's
// max_entries_limit_per_query), the output may hold at most max_series streams, the query
// gives up after `timeout` (checked inside the loops), and what it holds at once must stay
// within max_query_memory_bytes (query_memory.h): the decompressed blocks of every stream's
// cursor (the merge keeps one per stream: charged per block) and the collected output entries
// (charged per entry: each costs an allocation anyway). Stats count what was read.
//
// Thread-safety: a call uses only its arguments; several queries may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/exec/query_plan.h"
#include "aggregator/logql/exec/query_stats.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"
#include "shared/units/byte_size.h"

namespace silt::logql::exec {

struct ExecutorOptions {
  // Skip blocks by their blooms (results are identical either way; off is for checks).
  bool use_blooms = true;
  // Loki's query_timeout; 0 for none. Needs `clock`.
  int64_t timeout_ns = 0;
  const time::Clock* clock = nullptr;  // must outlive the call when timeout_ns > 0
  // Loki's max_entries_limit_per_query (default 5000); 0 for none.
  size_t max_entries_limit = 5000;
  // Most output streams a result may hold; 0 for none.
  size_t max_series = 0;
  // Most bytes the query may hold at once (decompressed blocks, collected entries); 0 for none.
  int64_t max_query_memory_bytes = 512 * units::kMiB;
  // What the operator raises to allow more, quoted in the error (a config key or a flag).
  std::string max_query_memory_name = "max_query_memory_bytes";
  // When set, the query charges this accounting (whose own limit applies) instead of one built
  // from the two fields above; lets a caller watch the peak. Must outlive the call.
  QueryMemory* memory = nullptr;
};

struct LogEntry {
  int64_t timestamp = 0;
  std::string line;
};

struct LogStream {
  labels::LabelSet labels;
  std::vector<LogEntry> entries;  // in the query direction
};

struct LogQueryResult {
  std::vector<LogStream> streams;  // sorted by labels
  QueryStats stats;
};

// Runs `plan` for `tenant` with `pipeline` (Pipeline::Compile of the query's stages; any
// implementation of the interface). Errors: InvalidArgument for a limit over the maximum or a
// selector the index refuses; ResourceExhausted for too many series, the timeout or the memory
// budget, with Loki's wording and what to change.
Result<LogQueryResult> ExecuteLogQuery(const engine::StorageEngine& engine, std::string_view tenant,
                                       const LogQueryPlan& plan, const Pipeline& pipeline,
                                       const ExecutorOptions& options);

}  // namespace silt::logql::exec
