// BlockPool: recycles the line blocks of head arenas (entry_arena.h). A flush frees a whole
// partition's blocks at once and ingest allocates as many again right after; handing them back
// to malloc lets it return the pages to the kernel (blocks of 128 KiB and more are mmap'd by
// glibc), and every new block then costs page faults and zeroing: measured, that was 60% of
// Apply's time. The pool keeps freed blocks, by exact size, up to `max_free_bytes` in total and
// frees the rest.
//
// Thread-safety: Get and Put may be called from any thread (an arena dies on whichever thread
// drops the last snapshot of its stream); one mutex, taken once per block.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace silt::store {

class BlockPool {
 public:
  explicit BlockPool(size_t max_free_bytes) : max_free_bytes_(max_free_bytes) {}
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // A block of `size` bytes: a recycled one when available (its bytes are garbage).
  std::unique_ptr<char[]> Get(size_t size);
  // Takes back a block of `size` bytes; kept for reuse, or freed when the pool is full.
  void Put(std::unique_ptr<char[]> block, size_t size);

  // Bytes of blocks waiting for reuse.
  size_t free_bytes() const;

 private:
  struct SizeClass {
    size_t size = 0;
    std::vector<std::unique_ptr<char[]>> blocks;
  };

  const size_t max_free_bytes_;
  mutable std::mutex mu_;
  std::vector<SizeClass> classes_;  // few: arenas use doubling sizes
  size_t free_bytes_ = 0;
};

}  // namespace silt::store
