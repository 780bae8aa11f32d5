#include "aggregator/server/completion_mailbox.h"

#include <utility>

namespace silt::server {

std::shared_ptr<CompletionMailbox> CompletionMailbox::Create(uv_loop_t* loop) {
  std::shared_ptr<CompletionMailbox> mailbox(new CompletionMailbox());
  auto* async = new uv_async_t;
  if (uv_async_init(loop, async, &CompletionMailbox::OnAsync) != 0) {
    delete async;
    return nullptr;
  }
  // The handle refers to the mailbox through a weak pointer: a wake-up after the mailbox is
  // gone does nothing.
  async->data = new std::weak_ptr<CompletionMailbox>(mailbox);
  mailbox->async_ = async;
  return mailbox;
}

CompletionMailbox::~CompletionMailbox() { Close(); }

void CompletionMailbox::Post(std::function<void()> work) {
  std::unique_lock lock(mu_);
  if (async_ == nullptr) {
    lock.unlock();
    return;  // `work` is destroyed here, outside the lock
  }
  ready_.push_back(std::move(work));
  uv_async_send(async_);
}

void CompletionMailbox::Close() {
  uv_async_t* async = nullptr;
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard lock(mu_);
    std::swap(async, async_);
    dropped.swap(ready_);
  }
  if (async == nullptr) return;
  uv_close(reinterpret_cast<uv_handle_t*>(async), [](uv_handle_t* handle) {
    delete static_cast<std::weak_ptr<CompletionMailbox>*>(handle->data);
    delete reinterpret_cast<uv_async_t*>(handle);
  });
}

void CompletionMailbox::OnAsync(uv_async_t* handle) {
  auto* weak = static_cast<std::weak_ptr<CompletionMailbox>*>(handle->data);
  if (std::shared_ptr<CompletionMailbox> mailbox = weak->lock()) mailbox->Drain();
}

void CompletionMailbox::Drain() {
  std::vector<std::function<void()>> work;
  {
    std::lock_guard lock(mu_);
    if (async_ == nullptr) return;
    work.swap(ready_);
  }
  for (std::function<void()>& item : work) item();
}

}  // namespace silt::server
