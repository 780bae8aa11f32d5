// CompletionMailbox: runs closures posted from other threads on a libuv loop thread. The storage
// engine calls push callbacks on its WAL thread; the agent sessions post their Ack/Nack work
// here so that every ByteStream call happens on the loop. One uv_async_t; uv_async_send
// coalesces wake-ups and the loop runs every posted closure in posting order.
//
// Lifetime: held by shared_ptr (push callbacks keep it alive while the engine holds them). The
// async handle is heap-allocated and freed in its close callback. After Close(), posts are
// dropped (their closures destroyed on the posting thread).
// Thread-safety: Post from any thread; Create and Close on the loop thread.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace silt::server {

class CompletionMailbox {
 public:
  // Starts an async handle on `loop`. Returns nullptr if libuv refuses (it does not for a live
  // loop).
  static std::shared_ptr<CompletionMailbox> Create(uv_loop_t* loop);
  ~CompletionMailbox();
  CompletionMailbox(const CompletionMailbox&) = delete;
  CompletionMailbox& operator=(const CompletionMailbox&) = delete;

  // Schedules `work` on the loop thread. Dropped after Close().
  void Post(std::function<void()> work);

  // Runs nothing more, closes the handle; idempotent. Closures already posted are dropped.
  void Close();

 private:
  CompletionMailbox() = default;
  static void OnAsync(uv_async_t* handle);
  void Drain();

  std::mutex mu_;
  uv_async_t* async_ = nullptr;                    // guarded by mu_; nullptr once closed
  std::vector<std::function<void()>> ready_;       // guarded by mu_
};

}  // namespace silt::server
