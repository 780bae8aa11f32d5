// StreamCursor: one selected stream as a source of the executor's k-way merge. It walks the
// stream's entries in the query direction (engine::StreamEntryIterator) through the stream's
// StreamPipeline and stops on each entry the pipeline keeps, counting what it reads.
//
// The current entry's views (line, labels) point into the iterator's block and the pipeline's
// buffers; they stay valid until the next Advance(). Used by one thread; not copyable.
//
// Memory: the decompressed blocks the iterator keeps (engine::StreamEntryIterator::
// held_block_bytes) are charged to the query's QueryMemory as MemoryUse::kBlocks. The figure
// changes only when a block is loaded or dropped; the cursor compares it after every step of
// the iterator (one integer compare per entry) and charges or releases the difference, so the
// granularity is one block. Destroying the cursor releases its blocks' charge.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "aggregator/engine/stream_selection.h"
#include "aggregator/logql/exec/query_deadline.h"
#include "aggregator/logql/exec/query_memory.h"
#include "aggregator/logql/exec/query_stats.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "shared/status/status.h"

namespace silt::logql::exec {

class StreamCursor {
 public:
  // `stats`, `deadline` and `memory` must outlive the cursor; `memory` may be null (nothing
  // is charged).
  StreamCursor(engine::StreamEntryIterator iterator, std::unique_ptr<StreamPipeline> pipeline,
               QueryStats* stats, const QueryDeadline* deadline, QueryMemory* memory = nullptr);
  StreamCursor(const StreamCursor&) = delete;
  StreamCursor& operator=(const StreamCursor&) = delete;

  // Moves to the next entry the pipeline keeps (the first one on the first call). OK, with
  // Valid() false at the end; the deadline's error when the query ran out of time; the memory
  // budget's error when a block it loads takes the query over it.
  Status Advance();

  bool Valid() const { return valid_; }
  // Preconditions: Valid().
  int64_t timestamp() const { return timestamp_; }
  const PipelineEntry& entry() const { return entry_; }
  const engine::ReadProblems& problems() const { return iterator_.problems(); }

 private:
  // How many entries are read between two deadline checks.
  static constexpr uint32_t kCheckEvery = 256;

  // Charges or releases the change in the iterator's held blocks.
  Status SyncBlocks() {
    const size_t held = iterator_.held_block_bytes();
    return held == blocks_.bytes() ? Status::Ok() : blocks_.Resize(held);
  }

  // Adds the entries the iterator passed over since the last call (engine::BlockFilter::
  // required_line_literals) to the stats, as read.
  void CountSkipped();

  engine::StreamEntryIterator iterator_;
  std::unique_ptr<StreamPipeline> pipeline_;
  QueryStats* stats_;
  const QueryDeadline* deadline_;
  MemoryLease blocks_;
  std::vector<labels::LabelView> metadata_;
  PipelineEntry entry_;
  int64_t timestamp_ = 0;
  uint64_t skipped_lines_ = 0;  // iterator totals already in stats_
  uint64_t skipped_bytes_ = 0;
  bool started_ = false;
  bool valid_ = false;
  uint32_t until_check_ = 0;
};

}  // namespace silt::logql::exec
