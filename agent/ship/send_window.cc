#include "agent/ship/send_window.h"

#include <set>
#include <utility>

namespace silt::agent {

void SendWindow::Push(OutgoingBatch batch) {
  Slot slot;
  slot.batch = std::move(batch);
  slots_.push_back(std::move(slot));
}

SendWindow::Iterator SendWindow::NextToSend(size_t window, bool pipelined) {
  if (in_flight() >= window) return slots_.end();
  // Sources of earlier batches that hold later ones back: every unacked one, or when pipelined
  // only those not sent yet (queued or waiting to retry).
  std::set<uint64_t> busy;
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    const std::set<uint64_t>& sources = it->batch.sources();
    if (it->state == State::kQueued) {
      bool blocked = false;
      for (uint64_t source : sources) blocked = blocked || busy.contains(source);
      if (!blocked) return it;
    }
    if (!pipelined || it->state != State::kInFlight) busy.insert(sources.begin(), sources.end());
  }
  return slots_.end();
}

void SendWindow::MarkSent(Iterator slot, int64_t now_ns, size_t frame_bytes) {
  slot->state = State::kInFlight;
  slot->sent_before = true;
  slot->sent_ns = now_ns;
  slot->frame_bytes = frame_bytes;
}

SendWindow::Iterator SendWindow::FindInFlight(uint64_t id) {
  Iterator it = Find(id);
  return it != slots_.end() && it->state == State::kInFlight ? it : slots_.end();
}

bool SendWindow::PassesUnsent(Iterator slot) const {
  const std::set<uint64_t>& sources = slot->batch.sources();
  for (auto it = slots_.begin(); it != slot; ++it) {
    if (it->state == State::kInFlight) continue;
    for (uint64_t source : it->batch.sources()) {
      if (sources.contains(source)) return true;
    }
  }
  return false;
}

SendWindow::Iterator SendWindow::Find(uint64_t id) {
  for (auto it = slots_.begin(); it != slots_.end(); ++it) {
    if (it->batch.id() == id) return it;
  }
  return slots_.end();
}

void SendWindow::Erase(Iterator slot) { slots_.erase(slot); }

SendWindow::Iterator SendWindow::Replace(Iterator slot, OutgoingBatch first, OutgoingBatch second) {
  Slot a;
  a.batch = std::move(first);
  Slot b;
  b.batch = std::move(second);
  Iterator next = slots_.erase(slot);
  next = slots_.insert(next, std::move(b));
  return slots_.insert(next, std::move(a));
}

size_t SendWindow::in_flight() const {
  size_t n = 0;
  for (const Slot& slot : slots_) n += slot.state == State::kInFlight ? 1 : 0;
  return n;
}

size_t SendWindow::in_flight_bytes() const {
  size_t n = 0;
  for (const Slot& slot : slots_) n += slot.state == State::kInFlight ? slot.frame_bytes : 0;
  return n;
}

size_t SendWindow::held_bytes() const {
  size_t n = 0;
  for (const Slot& slot : slots_) n += slot.batch.bytes();
  return n;
}

}  // namespace silt::agent
