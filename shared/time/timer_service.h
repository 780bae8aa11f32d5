// TimerService: one-shot timers for event-driven code (flush deadlines, retry backoff, heartbeats,
// idle timeouts). Code schedules through this interface so tests drive it with FakeClock
// (fake_clock.h) instead of a real event loop; production uses UvTimerService
// (uv_timer_service.h). Implementations are single-threaded: call them, and receive callbacks, on
// the thread that owns the service (the event loop thread).
#pragma once

#include <cstdint>
#include <functional>

namespace silt::time {

class TimerService {
 public:
  // Identifies one scheduled timer. Never kInvalidTimerId; never reused by the same service.
  using TimerId = uint64_t;
  static constexpr TimerId kInvalidTimerId = 0;

  virtual ~TimerService() = default;

  // Arranges for `callback` to run once, `delay_ns` nanoseconds from now (of the service's
  // monotonic clock; a negative delay counts as 0). The callback runs later on the owner's thread,
  // never inside Schedule itself, and may schedule or cancel timers. Returns the timer's id.
  virtual TimerId Schedule(int64_t delay_ns, std::function<void()> callback) = 0;

  // Stops the timer `id` and destroys its callback without running it. Returns true when the timer
  // was pending; false when it has already fired, was already cancelled, or never existed.
  virtual bool Cancel(TimerId id) = 0;
};

}  // namespace silt::time
