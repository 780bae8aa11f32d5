// SendWindow: the batches the shipper holds until they are acked, in the order they were made,
// and the rules for which may go out next. A batch is queued (waiting to be sent), in flight
// (sent on the current connection, not answered yet) or waiting to retry (nacked with a delay).
//
// Ordering rule: the aggregator's redelivery marks are high-water marks per source: if a later
// range of a source were stored while an earlier one was refused, the earlier one's resend would
// be taken for a repeat and dropped. So the batches of one source reach the aggregator in order,
// and a refused one is resent before any later one of its sources:
//   - pipelined (the aggregator announced Welcome.ordered_sources): a batch may be sent when no
//     EARLIER batch covering one of its sources is queued or waiting to retry; earlier ones in
//     flight are fine. The aggregator, once it refuses a batch, refuses every later batch of its
//     sources on that connection (Nack out_of_order) until the refused range comes again, so
//     nothing later can be stored past a refused range; the refused ones wait here, are sent
//     again in their original order, and the later ones follow them.
//   - otherwise (older aggregators): a batch may be sent only when no earlier unacked batch
//     covers one of its sources, so batches of one source go one at a time.
// Batches of distinct sources share the window (up to `window` in flight) in both modes. A
// disconnect puts every batch back in the queue in order (RequeueAll).
//
// Thread-safety: a value type for one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>

#include "agent/ship/outgoing_batch.h"
#include "shared/time/timer_service.h"

namespace silt::agent {

class SendWindow {
 public:
  enum class State { kQueued, kInFlight, kRetryWait };
  struct Slot {
    OutgoingBatch batch;
    State state = State::kQueued;
    bool sent_before = false;  // a later send is a resend
    int64_t sent_ns = 0;       // monotonic time of the last send
    size_t frame_bytes = 0;    // size of the last frame sent
    time::TimerService::TimerId retry_timer = time::TimerService::kInvalidTimerId;
  };
  using Iterator = std::list<Slot>::iterator;

  // Appends a queued batch.
  void Push(OutgoingBatch batch);
  // The first queued batch allowed out now (fewer than `window` in flight and the ordering rule
  // above, pipelined when `pipelined`), or end().
  Iterator NextToSend(size_t window, bool pipelined);
  void MarkSent(Iterator slot, int64_t now_ns, size_t frame_bytes);
  // The in-flight batch with this id, or end().
  Iterator FindInFlight(uint64_t id);
  // True when an earlier batch sharing a source with `slot` is not in flight (queued or waiting
  // to retry): an Ack of `slot` then means the aggregator stored a range of a source past one it
  // refused, which the ordering rule above must make impossible.
  bool PassesUnsent(Iterator slot) const;
  // The batch with this id in any state, or end().
  Iterator Find(uint64_t id);
  // Removes the batch (acked or given up).
  void Erase(Iterator slot);
  // Replaces `slot` by `first` then `second`, both queued. Returns the iterator to `first`.
  Iterator Replace(Iterator slot, OutgoingBatch first, OutgoingBatch second);
  // After a disconnect: every batch queued again, in order. Calls `cancel` with each pending
  // retry timer id.
  template <typename Cancel>
  void RequeueAll(Cancel cancel) {
    for (Slot& slot : slots_) {
      if (slot.retry_timer != time::TimerService::kInvalidTimerId) cancel(slot.retry_timer);
      slot.retry_timer = time::TimerService::kInvalidTimerId;
      slot.state = State::kQueued;
    }
  }

  Iterator end() { return slots_.end(); }
  bool empty() const { return slots_.empty(); }
  size_t size() const { return slots_.size(); }
  size_t in_flight() const;
  size_t in_flight_bytes() const;
  // Entry bytes (OutgoingBatch::bytes) of every batch held.
  size_t held_bytes() const;
  const std::list<Slot>& slots() const { return slots_; }

 private:
  std::list<Slot> slots_;
};

}  // namespace silt::agent
