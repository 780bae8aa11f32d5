#include "aggregator/api/query_pool.h"

#include <algorithm>
#include <utility>

namespace silt::api {

QueryPool::QueryPool(size_t threads) {
  const size_t count = std::max<size_t>(threads, 1);
  workers_.reserve(count);
  for (size_t i = 0; i < count; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

QueryPool::~QueryPool() { Stop(); }

bool QueryPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

void QueryPool::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

size_t QueryPool::queued() const {
  std::lock_guard lock(mu_);
  return tasks_.size();
}

void QueryPool::WorkerLoop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and nothing left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

size_t DefaultQueryWorkers() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace silt::api
