#include "shared/http/completion_queue.h"

#include <cassert>
#include <utility>

namespace silt::http {

struct CompletionQueue::AsyncHandle {
  uv_async_t handle;
  // Keeps the queue alive while the handle is open; released in the close callback.
  std::shared_ptr<CompletionQueue> queue;
  std::function<void()> on_closed;
};

std::shared_ptr<CompletionQueue> CompletionQueue::Create(uv_loop_t* loop, Deliver deliver) {
  std::shared_ptr<CompletionQueue> queue(new CompletionQueue());
  queue->deliver_ = std::move(deliver);
  auto async = std::make_unique<AsyncHandle>();
  if (uv_async_init(loop, &async->handle, &CompletionQueue::OnAsync) != 0) return nullptr;
  async->handle.data = async.get();
  async->queue = queue;
  queue->async_ = async.release();
  return queue;
}

CompletionQueue::~CompletionQueue() { assert(async_ == nullptr && "Close() the queue first"); }

void CompletionQueue::Post(std::shared_ptr<Exchange> exchange) {
  std::lock_guard<std::mutex> lock(mu_);
  if (async_ == nullptr) return;
  ready_.push_back(std::move(exchange));
  // Under the lock, so Close() cannot free the handle between the check and the send.
  uv_async_send(&async_->handle);
}

void CompletionQueue::Close(std::function<void()> on_closed) {
  AsyncHandle* async;
  std::vector<std::shared_ptr<Exchange>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    async = std::exchange(async_, nullptr);
    dropped.swap(ready_);
  }
  if (async == nullptr) return;
  async->on_closed = std::move(on_closed);
  uv_close(reinterpret_cast<uv_handle_t*>(&async->handle), &CompletionQueue::OnClose);
}

void CompletionQueue::OnAsync(uv_async_t* handle) {
  static_cast<AsyncHandle*>(handle->data)->queue->Drain();
}

void CompletionQueue::OnClose(uv_handle_t* handle) {
  std::unique_ptr<AsyncHandle> async(static_cast<AsyncHandle*>(handle->data));
  std::function<void()> on_closed = std::move(async->on_closed);
  async.reset();  // may destroy the queue
  if (on_closed) on_closed();
}

void CompletionQueue::Drain() {
  std::vector<std::shared_ptr<Exchange>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (async_ == nullptr) return;
    ready.swap(ready_);
  }
  for (const auto& exchange : ready) deliver_(exchange);
}

}  // namespace silt::http
