#include "shared/http/exchange.h"

#include <cassert>
#include <utility>

#include "shared/http/completion_queue.h"

namespace silt::http {
namespace {

size_t StreamedBytes(const Exchange::Op& op) {
  switch (op.kind) {
    case Exchange::OpKind::kStartStream:
      return op.response.body.size();
    case Exchange::OpKind::kChunk:
      return op.data.size();
    default:
      return 0;
  }
}

}  // namespace

Exchange::Exchange(std::shared_ptr<CompletionQueue> queue, size_t max_buffered_bytes)
    : queue_(std::move(queue)),
      max_buffered_bytes_(max_buffered_bytes),
      loop_thread_(std::this_thread::get_id()) {}

Status Exchange::Post(Op op) {
  const size_t bytes = StreamedBytes(op);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled()) return Status::Unavailable("the client connection is closed");
    const size_t buffered = buffered_.load(std::memory_order_relaxed);
    const size_t cap = max_buffered_bytes_.load(std::memory_order_acquire);
    if (op.kind == OpKind::kChunk && buffered > 0 && buffered + bytes > cap) {
      return Status::ResourceExhausted("response stream has " + std::to_string(buffered) +
                                       " bytes not yet sent to a slow client (the limit is " +
                                       std::to_string(cap) + "); retry after some are sent");
    }
    buffered_.fetch_add(bytes, std::memory_order_acq_rel);
    ops_.push_back(std::move(op));
    if (scheduled_) return Status::Ok();
    if (dispatching_.load(std::memory_order_acquire) &&
        std::this_thread::get_id() == loop_thread_) {
      return Status::Ok();  // the connection takes it when the handler returns
    }
    scheduled_ = true;
  }
  queue_->Post(shared_from_this());
  return Status::Ok();
}

std::vector<Exchange::Op> Exchange::TakeOps() {
  std::lock_guard<std::mutex> lock(mu_);
  scheduled_ = false;
  return std::exchange(ops_, {});
}

void Exchange::Cancel() {
  std::vector<Op> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    cancelled_.store(true, std::memory_order_release);
    dropped.swap(ops_);
    buffered_.store(0, std::memory_order_release);
  }
  connection_ = nullptr;
}

void Exchange::Release(size_t bytes) {
  size_t current = buffered_.load(std::memory_order_acquire);
  while (true) {
    const size_t next = current >= bytes ? current - bytes : 0;
    if (buffered_.compare_exchange_weak(current, next, std::memory_order_acq_rel)) return;
  }
}

}  // namespace silt::http
