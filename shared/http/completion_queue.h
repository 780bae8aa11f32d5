// CompletionQueue: wakes the server's loop thread when Exchanges have response data posted from
// other threads. One uv_async_t per server; uv_async_send coalesces wake-ups, and the loop
// delivers every scheduled exchange in the order they were posted.
//
// Lifetime: shared by the server and every Exchange (responders may outlive the server). The
// async handle lives on the heap until its close callback; after Close(), posts are dropped.
// Thread-safety: Post from any thread; Create and Close on the loop thread.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace silt::http {

class Exchange;

class CompletionQueue {
 public:
  using Deliver = std::function<void(const std::shared_ptr<Exchange>&)>;

  // Starts an async handle on `loop`; `deliver` runs on the loop thread for each posted exchange.
  // Returns nullptr if libuv refuses the handle (it does not for a live loop).
  static std::shared_ptr<CompletionQueue> Create(uv_loop_t* loop, Deliver deliver);
  ~CompletionQueue();
  CompletionQueue(const CompletionQueue&) = delete;
  CompletionQueue& operator=(const CompletionQueue&) = delete;

  // Schedules `exchange` for delivery on the loop thread. Dropped after Close().
  void Post(std::shared_ptr<Exchange> exchange);

  // Stops delivery and closes the async handle; `on_closed` (may be empty) runs on the loop when
  // the handle is freed. Idempotent: later calls do nothing.
  void Close(std::function<void()> on_closed);

 private:
  struct AsyncHandle;
  CompletionQueue() = default;
  static void OnAsync(uv_async_t* handle);
  static void OnClose(uv_handle_t* handle);
  void Drain();

  Deliver deliver_;
  std::mutex mu_;
  AsyncHandle* async_ = nullptr;                  // guarded by mu_; nullptr once closed
  std::vector<std::shared_ptr<Exchange>> ready_;  // guarded by mu_
};

}  // namespace silt::http
