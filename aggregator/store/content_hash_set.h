// ContentHashSet: a small open-addressing set of 64-bit hashes (linear probing, at most half
// full), used by StreamHead to look up duplicates among many entries that share one timestamp.
// Memory is exactly capacity() * 8 bytes. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace silt::store {

class ContentHashSet {
 public:
  bool Contains(uint64_t hash) const {
    if (hash == 0) return has_zero_;
    if (slots_.empty()) return false;
    for (size_t i = Slot(hash);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == hash) return true;
      if (slots_[i] == 0) return false;
    }
  }
  void Insert(uint64_t hash) {
    if (hash == 0) {
      has_zero_ = true;
      return;
    }
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    if (Place(hash)) ++size_;
  }
  void Clear() {
    std::vector<uint64_t>().swap(slots_);
    size_ = 0;
    has_zero_ = false;
  }
  size_t capacity() const { return slots_.size(); }

 private:
  size_t Slot(uint64_t hash) const { return (hash * 0x9E3779B97F4A7C15ULL) >> shift_; }
  // Returns false when `hash` was present. Precondition: a free slot exists.
  bool Place(uint64_t hash) {
    for (size_t i = Slot(hash);; i = (i + 1) & (slots_.size() - 1)) {
      if (slots_[i] == hash) return false;
      if (slots_[i] == 0) {
        slots_[i] = hash;
        return true;
      }
    }
  }
  void Grow() {
    std::vector<uint64_t> old;
    old.swap(slots_);
    size_t capacity = old.empty() ? 64 : old.size() * 2;
    slots_.assign(capacity, 0);
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    for (uint64_t hash : old) {
      if (hash != 0) Place(hash);
    }
  }

  std::vector<uint64_t> slots_;  // 0 = free; power-of-two size
  int shift_ = 64;
  size_t size_ = 0;
  bool has_zero_ = false;
};

}  // namespace silt::store
