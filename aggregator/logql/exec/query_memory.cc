#include "aggregator/logql/exec/query_memory.h"

#include <algorithm>
#include <cassert>
#include <utility>

#include "shared/units/byte_size.h"

namespace silt::logql::exec {
namespace {

constexpr std::array<const char*, kMemoryUseCount> kUseNames = {
    "decompressed blocks", "result entries", "samples", "series", "step vectors and groups"};

// Sizes for people: whole KiB/MiB/GiB when the figure is that large (rounded down), else bytes.
std::string Approximate(size_t bytes) {
  for (int64_t unit : {units::kGiB, units::kMiB, units::kKiB}) {
    if (bytes >= static_cast<size_t>(unit)) {
      return units::FormatByteSize(static_cast<int64_t>(bytes) / unit * unit);
    }
  }
  return units::FormatByteSize(static_cast<int64_t>(bytes));
}

}  // namespace

QueryMemory::QueryMemory(int64_t limit_bytes, std::string limit_name)
    : limit_(std::max<int64_t>(limit_bytes, 0)), limit_name_(std::move(limit_name)) {}

Status QueryMemory::Charge(size_t bytes, MemoryUse use) {
  if (limit_ > 0 && used_ + bytes > static_cast<size_t>(limit_)) return Exceeded(bytes, use);
  used_ += bytes;
  by_use_[static_cast<size_t>(use)] += bytes;
  peak_ = std::max(peak_, used_);
  return Status::Ok();
}

void QueryMemory::Release(size_t bytes, MemoryUse use) {
  size_t& counted = by_use_[static_cast<size_t>(use)];
  assert(bytes <= counted && bytes <= used_);
  counted -= bytes;
  used_ -= bytes;
}

namespace {
constexpr std::string_view kExceededPrefix = "query would use more than ";
}  // namespace

bool IsMemoryLimitError(const Status& status) {
  return status.code() == StatusCode::kResourceExhausted &&
         status.message().starts_with(kExceededPrefix);
}

Status QueryMemory::Exceeded(size_t bytes, MemoryUse use) const {
  std::string parts;
  for (size_t i = 0; i < kMemoryUseCount; ++i) {
    const size_t held = by_use_[i] + (i == static_cast<size_t>(use) ? bytes : 0);
    if (held == 0) continue;
    if (!parts.empty()) parts += ", ";
    parts += std::string(kUseNames[i]) + " " + Approximate(held);
  }
  return Status::ResourceExhausted(
      std::string(kExceededPrefix) + units::FormatByteSize(limit_) + " of memory (" + parts +
      "); narrow the time range or the selector, or raise " + limit_name_);
}

MemoryLease::MemoryLease(MemoryLease&& other) noexcept
    : memory_(other.memory_), use_(other.use_), bytes_(std::exchange(other.bytes_, 0)) {}

MemoryLease& MemoryLease::operator=(MemoryLease&& other) noexcept {
  if (this != &other) {
    Reset();
    memory_ = other.memory_;
    use_ = other.use_;
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

Status MemoryLease::Grow(size_t bytes) {
  if (memory_ == nullptr || bytes == 0) return Status::Ok();
  SILT_RETURN_IF_ERROR(memory_->Charge(bytes, use_));
  bytes_ += bytes;
  return Status::Ok();
}

Status MemoryLease::Resize(size_t bytes) {
  if (bytes >= bytes_) return Grow(bytes - bytes_);
  memory_->Release(bytes_ - bytes, use_);
  bytes_ = bytes;
  return Status::Ok();
}

void MemoryLease::Reset() {
  if (memory_ != nullptr && bytes_ != 0) memory_->Release(bytes_, use_);
  bytes_ = 0;
}

}  // namespace silt::logql::exec
