// NullSink: a BatchSink that drops every batch and confirms it at once (`--output null`). It is
// what benchmarks measure the tailing path against: reading, splitting and batching without any
// output cost. Positions still advance, so a restart resumes as with a real sink.
//
// Thread-safety: not thread-safe; called on the loop thread.
#pragma once

#include <cstdint>

#include "agent/positions/positions_store.h"
#include "agent/sink/sink_stats.h"
#include "agent/tailer/batch.h"

namespace silt::agent {

class NullSink final : public BatchSink {
 public:
  // `positions` may be null (nothing is confirmed); otherwise it must outlive the sink.
  explicit NullSink(PositionsStore* positions) : positions_(positions) {}

  void Deliver(Batch batch) override;

  // entries and bytes count the lines and line text bytes dropped.
  SinkStats stats() const { return stats_; }

 private:
  PositionsStore* const positions_;
  SinkStats stats_;
};

}  // namespace silt::agent
