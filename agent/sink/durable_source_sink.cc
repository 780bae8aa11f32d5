#include "agent/sink/durable_source_sink.h"

#include <utility>

namespace silt::agent {

void DurableSourceSink::Deliver(Batch batch) {
  if (!AllDurable(batch)) {
    ++saves_;
    if (positions_->Flush().ok()) {
      RememberAll();
    } else {
      ++save_errors_;
    }
  }
  downstream_->Deliver(std::move(batch));
}

bool DurableSourceSink::AllDurable(const Batch& batch) {
  bool all = true;
  for (const SourceChunk& chunk : batch.chunks) {
    if (durable_.count(chunk.source_id) == 0) all = false;
  }
  if (all) return true;
  // Nothing unsaved: every entry, the new sources' included, is in the file already.
  if (!positions_->dirty()) {
    RememberAll();
    return true;
  }
  return false;
}

void DurableSourceSink::RememberAll() {
  durable_.clear();
  for (const auto& [source_id, position] : positions_->entries()) durable_.insert(source_id);
}

}  // namespace silt::agent
