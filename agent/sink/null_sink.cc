#include "agent/sink/null_sink.h"

namespace silt::agent {

void NullSink::Deliver(Batch batch) {
  ++stats_.batches;
  stats_.entries += batch.lines;
  stats_.bytes += batch.bytes;
  if (positions_ == nullptr) return;
  for (const SourceChunk& chunk : batch.chunks) {
    positions_->Confirm(chunk.source_id, chunk.start_offset, chunk.end_offset);
  }
}

}  // namespace silt::agent
