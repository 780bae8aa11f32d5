// QueryPool: a fixed set of worker threads that run the HTTP API's queries, so the loop thread
// never blocks on the storage engine. Handlers move their Request and Responder into a task;
// the task answers through the Responder, which may be used from any thread.
//
// Thread-safety: Submit may be called from any thread; Stop (and the destructor) from one.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace silt::api {

class QueryPool {
 public:
  // Starts `threads` workers (at least one).
  explicit QueryPool(size_t threads);
  // Stop().
  ~QueryPool();
  QueryPool(const QueryPool&) = delete;
  QueryPool& operator=(const QueryPool&) = delete;

  // Queues `task`; a free worker runs it in submission order. False (and `task` is dropped,
  // which lets a moved-in Responder answer 500) after Stop.
  bool Submit(std::function<void()> task);
  // Runs every queued task, then joins the workers. Idempotent.
  void Stop();

  size_t size() const { return workers_.size(); }
  // Tasks queued and not started yet.
  size_t queued() const;

 private:
  void WorkerLoop();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> workers_;
};

// The default worker count: the machine's hardware threads, at least one.
size_t DefaultQueryWorkers();

}  // namespace silt::api
