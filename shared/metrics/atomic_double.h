// AtomicDouble: a double that many threads can update without a lock, stored as its IEEE-754 bits
// in a std::atomic<uint64_t> (lock-free on every platform Silt targets). Add() is a CAS loop.
// Thread-safety: every method may be called concurrently.
#pragma once

#include <atomic>
#include <bit>
#include <cstdint>

namespace silt::metrics {

class AtomicDouble {
 public:
  AtomicDouble() = default;
  explicit AtomicDouble(double value) : bits_(std::bit_cast<uint64_t>(value)) {}
  AtomicDouble(const AtomicDouble&) = delete;
  AtomicDouble& operator=(const AtomicDouble&) = delete;

  double Load() const { return std::bit_cast<double>(bits_.load(std::memory_order_relaxed)); }
  void Store(double value) {
    bits_.store(std::bit_cast<uint64_t>(value), std::memory_order_relaxed);
  }

  void Add(double delta) {
    uint64_t expected = bits_.load(std::memory_order_relaxed);
    while (!bits_.compare_exchange_weak(
        expected, std::bit_cast<uint64_t>(std::bit_cast<double>(expected) + delta),
        std::memory_order_relaxed, std::memory_order_relaxed)) {
    }
  }

 private:
  static_assert(std::atomic<uint64_t>::is_always_lock_free);
  std::atomic<uint64_t> bits_{0};  // the bits of +0.0
};

}  // namespace silt::metrics
