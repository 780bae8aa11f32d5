// BatchBuffer: the growable byte buffer the WalWriter queues records in. Unlike std::string it
// does not zero the bytes it grows by (a record's payload is written straight into them by
// WalWriter::AppendInPlace), and its capacity survives Clear, so the writer's two alternating
// batches stop allocating and faulting in pages once they reached the usual batch size. Its
// memory is aligned to kAlignment, so an offset in the buffer and the address of that byte agree
// modulo 4 KiB: the WalWriter places records at the offset within a block they will have in the
// segment file, and a direct-I/O file can then write them straight from the queue.
//
// Thread-safety: none; the WalWriter guards it with its queue lock or owns it on its thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <string_view>

namespace silt::wal {

class BatchBuffer {
 public:
  static constexpr size_t kAlignment = 4096;

  BatchBuffer() = default;
  BatchBuffer(BatchBuffer&&) noexcept = default;
  BatchBuffer& operator=(BatchBuffer&&) noexcept = default;
  BatchBuffer(const BatchBuffer&) = delete;
  BatchBuffer& operator=(const BatchBuffer&) = delete;

  char* data() { return bytes_.get(); }
  const char* data() const { return bytes_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view(size_t offset, size_t size) const {
    return std::string_view(bytes_.get() + offset, size);
  }

  // Grows the buffer by `n` bytes of unspecified content and returns where they start. The
  // pointer (and every earlier one) is valid until the next Extend, Release or destruction.
  char* Extend(size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    char* start = bytes_.get() + size_;
    size_ += n;
    return start;
  }
  // Drops the bytes from `size` on (size <= size()).
  void Truncate(size_t size) { size_ = std::min(size, size_); }
  // Empties the buffer, keeping its memory.
  void Clear() { size_ = 0; }
  // Empties the buffer and frees its memory.
  void Release() {
    bytes_.reset();
    size_ = 0;
    capacity_ = 0;
  }

 private:
  void Grow(size_t needed) {
    size_t capacity = std::max(needed, capacity_ * 2);
    capacity = (capacity + kAlignment - 1) / kAlignment * kAlignment;
    std::unique_ptr<char[], AlignedDelete> bytes(
        static_cast<char*>(::operator new (capacity, std::align_val_t{kAlignment})));
    if (size_ > 0) std::memcpy(bytes.get(), bytes_.get(), size_);
    bytes_ = std::move(bytes);
    capacity_ = capacity;
  }

  struct AlignedDelete {
    void operator()(char* p) const { ::operator delete (p, std::align_val_t{kAlignment}); }
  };

  std::unique_ptr<char[], AlignedDelete> bytes_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

}  // namespace silt::wal
