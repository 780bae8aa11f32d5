#include "aggregator/logql/exec/log_query_executor.h"

#include <algorithm>
#include <memory>
#include <unordered_map>

#include "aggregator/logql/exec/stream_cursor.h"

namespace silt::logql::exec {
namespace {

struct LabelSetHash {
  size_t operator()(const labels::LabelSet& set) const { return set.Hash(); }
};

// Bookkeeping of one output stream besides its labels: the LogStream and the index's node.
constexpr size_t kStreamOverhead = sizeof(LogStream) + sizeof(labels::LabelSet) + 4 * sizeof(void*);

// Collects the merged entries into output streams, charging each entry and stream to `memory`.
class ResultBuilder {
 public:
  ResultBuilder(size_t max_series, QueryMemory* memory)
      : max_series_(max_series), memory_(memory, MemoryUse::kEntries) {}

  Status Add(int64_t timestamp, const PipelineEntry& entry) {
    // Charged before the copy is made: the line plus its slot (vector growth is amortised).
    SILT_RETURN_IF_ERROR(memory_.Grow(sizeof(LogEntry) + entry.line.size()));
    auto [it, inserted] = index_.try_emplace(entry.labels, streams_.size());
    if (inserted) {
      if (max_series_ != 0 && streams_.size() >= max_series_) {
        return Status::ResourceExhausted(
            "maximum of series (" + std::to_string(max_series_) +
            ") reached for a single query; narrow the selector or drop labels with "
            "| drop / | keep, or raise the series limit");
      }
      SILT_RETURN_IF_ERROR(memory_.Grow(kStreamOverhead + entry.labels.MemoryBytes()));
      streams_.push_back(LogStream{entry.labels, {}});
    }
    streams_[it->second].entries.push_back(LogEntry{timestamp, std::string(entry.line)});
    return Status::Ok();
  }

  std::vector<LogStream> Finish() {
    std::sort(streams_.begin(), streams_.end(),
              [](const LogStream& a, const LogStream& b) { return a.labels < b.labels; });
    return std::move(streams_);
  }

 private:
  size_t max_series_;
  MemoryLease memory_;  // released when the builder goes: the result is the caller's
  std::vector<LogStream> streams_;
  std::unordered_map<labels::LabelSet, size_t, LabelSetHash> index_;
};

// The heap's order: the top is the cursor whose entry comes next. Cursors are numbered in the
// selection's label order, which breaks timestamp ties.
class MergeOrder {
 public:
  MergeOrder(const std::vector<std::unique_ptr<StreamCursor>>* cursors, bool forward)
      : cursors_(cursors), forward_(forward) {}
  // std heap functions keep the "largest" on top: true when `a` comes after `b`.
  bool operator()(size_t a, size_t b) const {
    const int64_t ta = (*cursors_)[a]->timestamp();
    const int64_t tb = (*cursors_)[b]->timestamp();
    if (ta != tb) return forward_ ? ta > tb : ta < tb;
    return a > b;
  }

 private:
  const std::vector<std::unique_ptr<StreamCursor>>* cursors_;
  bool forward_;
};

// Loki's `interval` rule: whether the next entry of the merge, at `timestamp`, is returned.
class IntervalGate {
 public:
  IntervalGate(int64_t interval, bool forward) : interval_(interval), forward_(forward) {}
  bool Passes(int64_t timestamp) {
    if (interval_ > 0 && started_) {
      const bool far_enough =
          forward_ ? timestamp - last_ >= interval_ : last_ - timestamp >= interval_;
      if (!far_enough) return false;
    }
    started_ = true;
    last_ = timestamp;
    return true;
  }

 private:
  int64_t interval_;
  bool forward_;
  bool started_ = false;
  int64_t last_ = 0;
};

// Precondition: every cursor advanced once (on its first entry, or at its end).
Status MergeInto(std::vector<std::unique_ptr<StreamCursor>>& cursors, const LogQueryPlan& plan,
                 ResultBuilder* builder, QueryStats* stats) {
  const bool forward = plan.range.direction == store::Direction::kForward;
  MergeOrder order(&cursors, forward);
  IntervalGate gate(plan.range.interval, forward);
  std::vector<size_t> heap;
  for (size_t i = 0; i < cursors.size(); ++i) {
    if (cursors[i]->Valid()) heap.push_back(i);
  }
  std::make_heap(heap.begin(), heap.end(), order);
  while (!heap.empty() && stats->entries_returned < plan.range.limit) {
    std::pop_heap(heap.begin(), heap.end(), order);
    StreamCursor& top = *cursors[heap.back()];
    if (gate.Passes(top.timestamp())) {
      SILT_RETURN_IF_ERROR(builder->Add(top.timestamp(), top.entry()));
      ++stats->entries_returned;
      if (stats->entries_returned == plan.range.limit) break;
    }
    SILT_RETURN_IF_ERROR(top.Advance());
    if (top.Valid()) {
      std::push_heap(heap.begin(), heap.end(), order);
    } else {
      heap.pop_back();
    }
  }
  return Status::Ok();
}

// Opens one cursor per selected stream and moves each onto its first entry, so its first block
// is charged before the next stream's is read.
Status OpenCursors(const std::vector<engine::StreamSelection>& selected, const LogQueryPlan& plan,
                   const Pipeline& pipeline, const engine::BlockFilter& filter,
                   const QueryDeadline& deadline, QueryMemory* memory, QueryStats* stats,
                   std::vector<std::unique_ptr<StreamCursor>>* cursors) {
  cursors->reserve(selected.size());
  for (const engine::StreamSelection& stream : selected) {
    SILT_RETURN_IF_ERROR(deadline.Check());
    stats->chunks_referenced += stream.chunks.size();
    cursors->push_back(std::make_unique<StreamCursor>(
        stream.NewIterator(plan.range.from, plan.range.through, plan.range.direction, filter),
        pipeline.ForStream(stream.labels), stats, &deadline, memory));
    SILT_RETURN_IF_ERROR(cursors->back()->Advance());
  }
  return Status::Ok();
}

Result<LogQueryResult> Execute(const engine::StorageEngine& engine, std::string_view tenant,
                               const LogQueryPlan& plan, const Pipeline& pipeline,
                               const ExecutorOptions& options, QueryMemory* memory) {
  const int64_t started = options.clock != nullptr ? options.clock->MonotonicNanos() : 0;
  const QueryDeadline deadline(options.clock, options.timeout_ns);
  SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> selected,
                        engine.Select(tenant, plan.matchers, plan.range.from, plan.range.through));
  LogQueryResult result;
  BlockCounters blocks;
  engine::BlockFilter filter = MakeBlockFilter(plan, options.use_blooms, deadline, &blocks);
  std::vector<std::unique_ptr<StreamCursor>> cursors;
  result.stats.streams_selected = selected.size();
  SILT_RETURN_IF_ERROR(
      OpenCursors(selected, plan, pipeline, filter, deadline, memory, &result.stats, &cursors));
  ResultBuilder builder(options.max_series, memory);
  SILT_RETURN_IF_ERROR(MergeInto(cursors, plan, &builder, &result.stats));
  result.streams = builder.Finish();
  for (const auto& cursor : cursors) result.stats.blocks_failed += cursor->problems().blocks_failed;
  result.stats.blocks_read = blocks.blocks_read;
  result.stats.blocks_skipped_by_bloom = blocks.blocks_skipped;
  result.stats.chunks_read = blocks.chunks_read.size();
  result.stats.peak_memory_bytes = memory->peak();
  if (options.clock != nullptr) {
    result.stats.exec_time_ns = options.clock->MonotonicNanos() - started;
  }
  return result;
}

}  // namespace

Result<LogQueryResult> ExecuteLogQuery(const engine::StorageEngine& engine, std::string_view tenant,
                                       const LogQueryPlan& plan, const Pipeline& pipeline,
                                       const ExecutorOptions& options) {
  if (options.max_entries_limit != 0 && plan.range.limit > options.max_entries_limit) {
    return Status::InvalidArgument(
        "max entries limit per query exceeded, limit > max_entries_limit (" +
        std::to_string(plan.range.limit) + " > " + std::to_string(options.max_entries_limit) +
        "); lower the limit");
  }
  if (options.memory != nullptr) {
    return Execute(engine, tenant, plan, pipeline, options, options.memory);
  }
  QueryMemory memory(options.max_query_memory_bytes, options.max_query_memory_name);
  return Execute(engine, tenant, plan, pipeline, options, &memory);
}

}  // namespace silt::logql::exec
