#include "shared/time/uv_timer_service.h"

#include <cassert>
#include <utility>

namespace silt::time {

struct UvTimerService::Timer {
  uv_timer_t handle;
  UvTimerService* owner;
  TimerId id;
  std::function<void()> callback;
};

UvTimerService::UvTimerService(uv_loop_t* loop) : loop_(loop) { assert(loop != nullptr); }

UvTimerService::~UvTimerService() { Close(); }

TimerService::TimerId UvTimerService::Schedule(int64_t delay_ns, std::function<void()> callback) {
  assert(callback && "a timer needs a callback");
  if (closed_) return kInvalidTimerId;
  constexpr int64_t kNanosPerMilli = 1'000'000;
  const uint64_t delay_ms = delay_ns <= 0
                                ? 0
                                : static_cast<uint64_t>(delay_ns / kNanosPerMilli +
                                                        (delay_ns % kNanosPerMilli != 0 ? 1 : 0));
  auto timer = std::make_unique<Timer>();
  timer->owner = this;
  timer->id = next_id_++;
  timer->callback = std::move(callback);
  [[maybe_unused]] int rc = uv_timer_init(loop_, &timer->handle);
  assert(rc == 0 && "uv_timer_init only fails for an invalid loop");
  timer->handle.data = timer.get();
  rc = uv_timer_start(&timer->handle, &UvTimerService::OnTimer, delay_ms, 0);
  assert(rc == 0 && "uv_timer_start only fails for a closing handle or a null callback");
  const TimerId id = timer->id;
  timers_.emplace(id, std::move(timer));
  return id;
}

bool UvTimerService::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return false;
  std::unique_ptr<Timer> timer = std::move(it->second);
  timers_.erase(it);
  Release(std::move(timer));
  return true;
}

void UvTimerService::Close() {
  closed_ = true;
  auto timers = std::move(timers_);
  timers_.clear();
  for (auto& [id, timer] : timers) Release(std::move(timer));
}

void UvTimerService::OnTimer(uv_timer_t* handle) {
  Timer* raw = static_cast<Timer*>(handle->data);
  UvTimerService* owner = raw->owner;
  auto it = owner->timers_.find(raw->id);
  assert(it != owner->timers_.end() && "a fired timer is still owned by its service");
  std::unique_ptr<Timer> timer = std::move(it->second);
  owner->timers_.erase(it);
  std::function<void()> callback = std::move(timer->callback);
  Release(std::move(timer));
  // Last: the callback may schedule, cancel, or even destroy the service.
  callback();
}

void UvTimerService::OnClose(uv_handle_t* handle) {
  std::unique_ptr<Timer> timer(static_cast<Timer*>(handle->data));
}

void UvTimerService::Release(std::unique_ptr<Timer> timer) {
  uv_timer_stop(&timer->handle);
  timer->owner = nullptr;
  timer->callback = nullptr;
  Timer* raw = timer.release();
  uv_close(reinterpret_cast<uv_handle_t*>(&raw->handle), &UvTimerService::OnClose);
}

}  // namespace silt::time
