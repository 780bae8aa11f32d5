#include "aggregator/store/block_pool.h"

#include <algorithm>

namespace silt::store {

std::unique_ptr<char[]> BlockPool::Get(size_t size) {
  {
    std::lock_guard lock(mu_);
    auto it = std::find_if(classes_.begin(), classes_.end(),
                           [size](const SizeClass& c) { return c.size == size; });
    if (it != classes_.end() && !it->blocks.empty()) {
      std::unique_ptr<char[]> block = std::move(it->blocks.back());
      it->blocks.pop_back();
      free_bytes_ -= size;
      return block;
    }
  }
  return std::make_unique_for_overwrite<char[]>(size);
}

void BlockPool::Put(std::unique_ptr<char[]> block, size_t size) {
  std::lock_guard lock(mu_);
  if (free_bytes_ + size > max_free_bytes_) return;  // `block` is freed on return
  auto it = std::find_if(classes_.begin(), classes_.end(),
                         [size](const SizeClass& c) { return c.size == size; });
  if (it == classes_.end()) it = classes_.insert(classes_.end(), SizeClass{size, {}});
  it->blocks.push_back(std::move(block));
  free_bytes_ += size;
}

size_t BlockPool::free_bytes() const {
  std::lock_guard lock(mu_);
  return free_bytes_;
}

}  // namespace silt::store
