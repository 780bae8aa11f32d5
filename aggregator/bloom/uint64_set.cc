#include "aggregator/bloom/uint64_set.h"

#include <algorithm>
#include <bit>

namespace silt::bloom {
namespace {

constexpr size_t kMinSlots = 1024;

}  // namespace

void Uint64Set::Place(uint64_t value) {
  size_t i = HomeSlot(value);
  while (slots_[i] != 0) i = (i + 1) & mask_;
  slots_[i] = value;
}

bool Uint64Set::InsertZero() {
  if (has_zero_) return false;
  has_zero_ = true;
  members_.push_back(0);
  return true;
}

void Uint64Set::Reserve(size_t count) {
  if (2 * count <= slots_.size()) return;
  Rehash(std::max(kMinSlots, std::bit_ceil(2 * count)));
}

void Uint64Set::Rehash(size_t slot_count) {
  slots_.assign(slot_count, 0);
  mask_ = slot_count - 1;
  shift_ = 64 - std::countr_zero(slot_count);
  for (uint64_t value : members_) {
    if (value != 0) Place(value);
  }
}

void Uint64Set::Clear() {
  if (members_.size() < slots_.size() / 16) {
    // Empty just the used slots, in reverse insertion order. That is exact for linear probing:
    // each removal undoes the latest insert, whose probe path holds only earlier members, all
    // still present (a rehash reinserts in insertion order, so this holds after one too).
    for (auto it = members_.rbegin(); it != members_.rend(); ++it) {
      if (*it == 0) continue;
      size_t i = HomeSlot(*it);
      while (slots_[i] != *it) i = (i + 1) & mask_;
      slots_[i] = 0;
    }
  } else {
    std::fill(slots_.begin(), slots_.end(), 0);
  }
  members_.clear();
  has_zero_ = false;
}

}  // namespace silt::bloom
