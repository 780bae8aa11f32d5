#include "shared/time/fake_clock.h"

#include <cassert>
#include <limits>

namespace silt::time {
namespace {

// a + b for b >= 0, saturating at INT64_MAX.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  assert(b >= 0);
  if (a > std::numeric_limits<int64_t>::max() - b) return std::numeric_limits<int64_t>::max();
  return a + b;
}

}  // namespace

FakeClock::FakeClock(int64_t wall_nanos, int64_t monotonic_nanos)
    : wall_nanos_(wall_nanos), monotonic_nanos_(monotonic_nanos) {}

size_t FakeClock::Advance(int64_t delta_ns) {
  assert(delta_ns >= 0 && "time only moves forward");
  assert(!firing_ && "Advance/RunDue called from inside a timer callback");
  const int64_t target = SaturatingAdd(monotonic_nanos_, delta_ns);
  firing_ = true;
  size_t fired = 0;
  while (!timers_.empty() && timers_.begin()->first.first <= target) {
    auto node = timers_.extract(timers_.begin());
    deadlines_.erase(node.key().second);
    MoveTo(node.key().first);
    std::function<void()> callback = std::move(node.mapped());
    callback();
    ++fired;
  }
  MoveTo(target);
  firing_ = false;
  return fired;
}

std::optional<int64_t> FakeClock::NextDeadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first.first;
}

TimerService::TimerId FakeClock::Schedule(int64_t delay_ns, std::function<void()> callback) {
  assert(callback && "a timer needs a callback");
  const TimerId id = next_id_++;
  const int64_t deadline = SaturatingAdd(monotonic_nanos_, delay_ns < 0 ? 0 : delay_ns);
  timers_.emplace(std::make_pair(deadline, id), std::move(callback));
  deadlines_.emplace(id, deadline);
  return id;
}

bool FakeClock::Cancel(TimerId id) {
  auto it = deadlines_.find(id);
  if (it == deadlines_.end()) return false;
  timers_.erase(std::make_pair(it->second, id));
  deadlines_.erase(it);
  return true;
}

void FakeClock::MoveTo(int64_t monotonic_nanos) {
  if (monotonic_nanos <= monotonic_nanos_) return;
  wall_nanos_ += monotonic_nanos - monotonic_nanos_;
  monotonic_nanos_ = monotonic_nanos;
}

}  // namespace silt::time
