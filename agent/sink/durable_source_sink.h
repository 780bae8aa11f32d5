// DurableSourceSink: a BatchSink in front of the output that makes every source id durable (in
// the positions file) before any byte of that source is delivered. Without it, a source started
// after the last periodic save (a rotation's successor, a new file) whose lines were delivered
// when the agent was killed would, after the restart, be read again under a new random id, and
// the aggregator, which recognises repeats by (source id, offset), would store them twice. With
// it, the restart finds the saved id and delivers the repeats under the same id and offsets.
//
// Cost: one positions file write (temp + fsync + rename) per batch that carries a source the file
// does not hold yet, i.e. about one per rotation or new file; startup sources are saved by the
// first save after the startup rescan, before anything is read. If the write fails, the batch is
// delivered anyway (holding it would stop tailing) and the failure is counted; the periodic save
// reports the error and retries.
//
// Thread-safety: not thread-safe; called on the loop thread, inside TailerSet::Poll.
#pragma once

#include <cstdint>
#include <unordered_set>

#include "agent/positions/positions_store.h"
#include "agent/tailer/batch.h"

namespace silt::agent {

class DurableSourceSink final : public BatchSink {
 public:
  // The pointers must outlive the sink.
  DurableSourceSink(PositionsStore* positions, BatchSink* downstream)
      : positions_(positions), downstream_(downstream) {}

  void Deliver(Batch batch) override;

  uint64_t saves() const { return saves_; }  // positions writes made for new sources
  uint64_t save_errors() const { return save_errors_; }

 private:
  // Whether every source of `batch` is known to be in the positions file.
  bool AllDurable(const Batch& batch);
  void RememberAll();

  PositionsStore* const positions_;
  BatchSink* const downstream_;
  std::unordered_set<uint64_t> durable_;
  uint64_t saves_ = 0;
  uint64_t save_errors_ = 0;
};

}  // namespace silt::agent
