#include "aggregator/logql/exec/stream_cursor.h"

#include <utility>

namespace silt::logql::exec {

StreamCursor::StreamCursor(engine::StreamEntryIterator iterator,
                           std::unique_ptr<StreamPipeline> pipeline, QueryStats* stats,
                           const QueryDeadline* deadline, QueryMemory* memory)
    : iterator_(std::move(iterator)),
      pipeline_(std::move(pipeline)),
      stats_(stats),
      deadline_(deadline),
      blocks_(memory, MemoryUse::kBlocks) {}

Status StreamCursor::Advance() {
  if (started_ && iterator_.Valid()) iterator_.Next();
  started_ = true;
  valid_ = false;
  for (; iterator_.Valid(); iterator_.Next()) {
    CountSkipped();
    SILT_RETURN_IF_ERROR(SyncBlocks());
    if (until_check_-- == 0) {
      until_check_ = kCheckEvery;
      SILT_RETURN_IF_ERROR(deadline_->Check());
    }
    const std::string_view line = iterator_.line();
    metadata_.clear();
    iterator_.AppendMetadata(&metadata_);
    ++stats_->lines_processed;
    stats_->bytes_processed += line.size();
    for (const labels::LabelView& pair : metadata_) {
      stats_->bytes_processed += pair.name.size() + pair.value.size();
    }
    if (pipeline_->Process(iterator_.timestamp(), line, metadata_, &entry_)) {
      timestamp_ = iterator_.timestamp();
      valid_ = true;
      return Status::Ok();
    }
  }
  CountSkipped();
  // A walk ended by the deadline (BlockFilter::stop, set by MakeBlockFilter) is not the end of
  // the stream: report the timeout, never a short result.
  if (iterator_.problems().stopped) SILT_RETURN_IF_ERROR(deadline_->Check());
  return SyncBlocks();
}

void StreamCursor::CountSkipped() {
  stats_->lines_processed += iterator_.skipped_lines() - skipped_lines_;
  stats_->bytes_processed += iterator_.skipped_bytes() - skipped_bytes_;
  skipped_lines_ = iterator_.skipped_lines();
  skipped_bytes_ = iterator_.skipped_bytes();
}

}  // namespace silt::logql::exec
