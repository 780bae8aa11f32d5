// UvTimerService: TimerService on a libuv loop. Each scheduled timer is one heap-allocated
// uv_timer_t owned by a small wrapper that the handle's `data` points to; a timer that fires or is
// cancelled is uv_close()d and its wrapper freed in the close callback.
// Thread-safety: none. Create, use and destroy it on the loop's thread; callbacks run there too,
// from uv_run().
//
// Shutdown contract: Close() (or the destructor) cancels every pending timer and starts closing
// its handle; the loop owner must then run the loop once more (uv_run(loop, UV_RUN_DEFAULT) or
// UV_RUN_NOWAIT until it returns 0) so the close callbacks free the handles, after which
// uv_loop_close(loop) returns 0.
#pragma once

#include <uv.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

#include "shared/time/timer_service.h"

namespace silt::time {

class UvTimerService final : public TimerService {
 public:
  // `loop` must outlive this object and the close callbacks it starts.
  explicit UvTimerService(uv_loop_t* loop);
  // Same as Close().
  ~UvTimerService() override;
  UvTimerService(const UvTimerService&) = delete;
  UvTimerService& operator=(const UvTimerService&) = delete;

  // Schedules on the loop's clock (millisecond resolution): the delay is rounded up to whole
  // milliseconds so a timer never fires early. Timers due at the same loop time fire in scheduling
  // order. Returns kInvalidTimerId (and drops the callback) after Close().
  TimerId Schedule(int64_t delay_ns, std::function<void()> callback) override;
  bool Cancel(TimerId id) override;

  // Cancels all pending timers without running their callbacks and closes their handles. Later
  // Schedule() calls are refused. Idempotent.
  void Close();

  // Number of timers scheduled and neither fired nor cancelled.
  size_t PendingTimers() const { return timers_.size(); }

 private:
  struct Timer;

  static void OnTimer(uv_timer_t* handle);
  static void OnClose(uv_handle_t* handle);
  // Stops the timer, starts closing its handle and hands the wrapper to the close callback.
  static void Release(std::unique_ptr<Timer> timer);

  uv_loop_t* loop_;
  TimerId next_id_ = 1;
  bool closed_ = false;
  std::unordered_map<TimerId, std::unique_ptr<Timer>> timers_;
};

}  // namespace silt::time
