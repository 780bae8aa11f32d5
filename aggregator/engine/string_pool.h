// StringPool: recycles the large strings push records are encoded into. A push encodes up to a
// few MiB and frees them once its WAL record is applied; with a fresh string each time, glibc
// hands the pages back to the kernel between pushes and every push pays page faults and zeroing
// again (measured: ~5% of the pushing thread in ingest_bench). The pool keeps up to `max_count`
// emptied strings of at most `max_capacity` bytes each; larger ones are freed.
//
// Thread-safety: Get and Put may be called from any thread; one mutex, taken once per call.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace silt::engine {

class StringPool {
 public:
  StringPool(size_t max_count, size_t max_capacity)
      : max_count_(max_count), max_capacity_(max_capacity) {}
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // An empty string, with the capacity of a recycled one when the pool has one.
  std::string Get() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return {};
    std::string s = std::move(free_.back());
    free_.pop_back();
    return s;
  }
  // Takes `s` back for reuse (emptied), or frees it when the pool is full or `s` is too large.
  void Put(std::string&& s) {
    if (s.capacity() > max_capacity_) return;
    s.clear();
    std::lock_guard lock(mu_);
    if (free_.size() < max_count_) free_.push_back(std::move(s));
  }
  size_t size() const {
    std::lock_guard lock(mu_);
    return free_.size();
  }

 private:
  const size_t max_count_;
  const size_t max_capacity_;
  mutable std::mutex mu_;
  std::vector<std::string> free_;
};

}  // namespace silt::engine
