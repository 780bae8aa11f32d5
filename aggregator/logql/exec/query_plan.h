// LogQueryPlan: what the storage engine must read for one log query (aggregator/logql/log_expr.h)
// and how blocks may be skipped. PlanLogQuery turns the query's stream selector into the
// matchers of StorageEngine::Select and collects the literals every returned line must contain:
// each `|= "a"` (or `|= "a" or "b"`) line filter that runs before any stage that changes the line
// (line_format, decolorize) is one group of alternatives. MakeBloomFilter turns the groups into
// an engine::BlockFilter that skips a block when, for some group, the block's bloom proves that
// none of the group's literals occurs in it (aggregator/bloom/bloom_query.h says when that is
// provable). Skipping never changes a result; the executor can turn it off.
//
// Value types and pure functions; thread-safe. A BlockFilter is used by one iterator at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "aggregator/engine/stream_selection.h"
#include "aggregator/logql/exec/query_deadline.h"
#include "aggregator/logql/log_expr.h"
#include "aggregator/store/chunk_block.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"

namespace silt::logql::exec {

// What the caller asks for besides the query text (Loki's query_range parameters).
struct LogQueryRange {
  int64_t from = 0;                                          // inclusive, ns since the epoch
  int64_t through = 0;                                       // exclusive
  store::Direction direction = store::Direction::kBackward;  // Loki's default
  size_t limit = 100;                                        // Loki's default
  // Loki's query_range `interval`: when > 0, an entry is returned only when it lies at least
  // `interval` after (forward; before, backward) the last returned entry of any stream, as
  // Loki's readStreams does; skipped entries do not count toward the limit. 0: every entry.
  int64_t interval = 0;
};

struct LogQueryPlan {
  std::vector<labels::Matcher> matchers;
  LogQueryRange range;
  // Groups of `or`-ed literals; every line the query returns contains one literal of each
  // group. Only groups whose every literal has a bloom-checkable token are kept.
  std::vector<std::vector<std::string>> required_literals;
  // The same groups without the bloom restriction (every non-empty `|=` literal, no ip()):
  // a block whose decompressed bytes hold no literal of some group holds no returned line.
  std::vector<std::vector<std::string>> scan_literals;
};

// InvalidArgument when the range is empty (from >= through), the limit is 0 or the interval
// negative, with Loki's wording ("end timestamp must not be before or equal to start time",
// "limit must be a positive value", "interval must be >= 0").
Result<LogQueryPlan> PlanLogQuery(const LogQuery& query, const LogQueryRange& range);

// Block counts of the filters made by MakeBlockFilter for one query.
struct BlockCounters {
  uint64_t blocks_read = 0;     // let through (the iterator then reads them)
  uint64_t blocks_skipped = 0;  // proven by a bloom to hold no match
  uint64_t bloom_errors = 0;    // bloom unreadable: the block was read instead
  // Chunk files with at least one block let through (Loki's "chunks downloaded").
  std::unordered_set<const store::ChunkReader*> chunks_read;
};

// A filter that counts every block in `counters` and, when `use_blooms`, skips blocks by
// `plan.required_literals`; always (it is exact) skips decompressed blocks whose bytes lack
// every literal of a group of `plan.scan_literals`, counted as skipped, not read, and passes
// over the entries of a read block whose line lacks every literal of such a group
// (engine::BlockFilter::required_line_literals: the pipeline's line filters would drop them).
// The walk stops before the next block once `deadline` has passed (engine::BlockFilter::stop;
// StreamCursor then reports the timeout), so a scan that skips block after block without
// yielding an entry still times out. `plan`, `deadline` and `counters` must outlive the filter.
engine::BlockFilter MakeBlockFilter(const LogQueryPlan& plan, bool use_blooms,
                                    const QueryDeadline& deadline, BlockCounters* counters);

}  // namespace silt::logql::exec
