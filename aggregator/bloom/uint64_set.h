// Uint64Set: a set of 64-bit values for building one block's bloom filter: open addressing with
// linear probing, Fibonacci-hashed home slots (so structured values such as packed short
// strings spread as well as hashes do), grown at half load, with the members also kept in
// insertion order for iteration. Prefetch lets a caller with a batch of values overlap the cache
// misses of a table larger than L1. Clear keeps the memory and costs O(members) when the table
// is much larger than the block that used it, so a table grown by one big block does not make
// every later small block pay for wiping it. Not thread-safe.
#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace silt::bloom {

class Uint64Set {
 public:
  Uint64Set() = default;

  // Adds `value` (any value, 0 included). Returns true when it was not a member yet.
  bool Insert(uint64_t value) {
    if (value == 0) return InsertZero();
    if (2 * (members_.size() + 1) > slots_.size()) Reserve(members_.size() + 1);
    return InsertReserved(value);
  }
  // Same as Insert, without the growth check: for a caller that reserved room for a batch.
  // Preconditions: `value` != 0, and size() is below the count last passed to Reserve.
  bool InsertReserved(uint64_t value) {
    assert(value != 0 && 2 * (members_.size() + 1) <= slots_.size());
    uint64_t* const slots = slots_.data();
    for (size_t i = HomeSlot(value);; i = (i + 1) & mask_) {
      const uint64_t slot = slots[i];
      if (slot == value) return false;
      if (slot == 0) {
        slots[i] = value;
        members_.push_back(value);
        return true;
      }
    }
  }
  // Grows the table now, if needed, so that `count` members fit without a rehash: slots
  // prefetched after this call stay where they are while up to that many are inserted.
  void Reserve(size_t count);
  // Hints that `value` is about to be inserted or looked up.
  void Prefetch(uint64_t value) const {
    if (!slots_.empty()) __builtin_prefetch(slots_.data() + HomeSlot(value));
  }

  size_t size() const { return members_.size(); }
  // The members in insertion order; valid until the next non-const call.
  std::span<const uint64_t> members() const { return members_; }
  // Removes every member; keeps the memory.
  void Clear();

 private:
  size_t HomeSlot(uint64_t value) const {
    return static_cast<size_t>((value * 0x9E3779B97F4A7C15ULL) >> shift_);
  }
  bool InsertZero();
  // Stores nonzero `value`, not a member, in its first free probe slot; the table has room.
  void Place(uint64_t value);
  void Rehash(size_t slot_count);

  std::vector<uint64_t> slots_;  // 0 = empty; the value 0 is tracked by has_zero_
  std::vector<uint64_t> members_;
  size_t mask_ = 0;  // slots_.size() - 1
  int shift_ = 64;   // 64 - log2(slots_.size())
  bool has_zero_ = false;
};

}  // namespace silt::bloom
