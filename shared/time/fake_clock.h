// FakeClock: a Clock and TimerService whose time moves only when a test says so, making code that
// waits, times out or retries deterministic. Advance() moves wall and monotonic time together and
// fires the timers that fall due on the way, in deadline order (ties in scheduling order), with
// the clock reading each timer's deadline while its callback runs.
// Not thread-safe: use it from the test's thread only (callbacks run on that thread, inside
// Advance() or RunDue()).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "shared/time/clock.h"
#include "shared/time/timer_service.h"

namespace silt::time {

class FakeClock final : public Clock, public TimerService {
 public:
  // 2023-11-14T22:13:20Z: a recent, round wall time so formatted output is easy to read.
  static constexpr int64_t kDefaultWallNanos = 1'700'000'000'000'000'000;
  // Not zero, so code that treats 0 as "never" is caught.
  static constexpr int64_t kDefaultMonotonicNanos = 1'000'000'000'000;

  explicit FakeClock(int64_t wall_nanos = kDefaultWallNanos,
                     int64_t monotonic_nanos = kDefaultMonotonicNanos);
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  int64_t WallNanos() const override { return wall_nanos_; }
  int64_t MonotonicNanos() const override { return monotonic_nanos_; }

  // Sets wall time only (as an NTP step or an operator would, possibly backwards). Monotonic time
  // and timers are unaffected.
  void SetWallNanos(int64_t wall_nanos) { wall_nanos_ = wall_nanos; }

  // Moves both clocks forward by `delta_ns` (>= 0) and fires every timer whose deadline is at or
  // before the new monotonic time, including timers that callbacks schedule inside the window.
  // Returns how many callbacks ran. Must not be called from inside a timer callback.
  size_t Advance(int64_t delta_ns);

  // Fires the timers already due (deadline <= now, e.g. scheduled with delay 0) without moving
  // time; timers they schedule with delay 0 fire too. Returns how many callbacks ran. Must not be
  // called from inside a timer callback.
  size_t RunDue() { return Advance(0); }

  // Number of timers scheduled and neither fired nor cancelled.
  size_t PendingTimers() const { return timers_.size(); }
  // Monotonic deadline of the earliest pending timer; nullopt when none is pending.
  std::optional<int64_t> NextDeadline() const;

  // TimerService. Deadlines are on the monotonic clock; callbacks run inside Advance()/RunDue().
  TimerId Schedule(int64_t delay_ns, std::function<void()> callback) override;
  bool Cancel(TimerId id) override;

 private:
  // Moves both clocks so monotonic time reads `monotonic_nanos` (never backwards).
  void MoveTo(int64_t monotonic_nanos);

  int64_t wall_nanos_;
  int64_t monotonic_nanos_;
  TimerId next_id_ = 1;
  bool firing_ = false;
  // Ordered by (deadline, id); ids grow, so equal deadlines fire in scheduling order.
  std::map<std::pair<int64_t, TimerId>, std::function<void()>> timers_;
  std::unordered_map<TimerId, int64_t> deadlines_;
};

}  // namespace silt::time
