#include "aggregator/store/entry_arena.h"

#include <algorithm>
#include <cassert>
#include <cstring>
#include <utility>

#include "shared/hash/xxh3.h"

namespace silt::store {
namespace {

constexpr size_t kFirstBlockBytes = 1024;

size_t VarintSize(uint64_t value) {
  size_t size = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++size;
  }
  return size;
}

char* PutVarint(uint64_t value, char* out) {
  while (value >= 0x80) {
    *out++ = static_cast<char>((value & 0x7F) | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

char* PutBytes(std::string_view bytes, char* out) {
  out = PutVarint(bytes.size(), out);
  if (!bytes.empty()) std::memcpy(out, bytes.data(), bytes.size());
  return out + bytes.size();
}

// Decoding trusts the bytes: they were written by this file.
const char* GetVarint(const char* in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0;; shift += 7) {
    auto byte = static_cast<uint8_t>(*in++);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) break;
  }
  *value = result;
  return in;
}

const char* GetBytes(const char* in, std::string_view* bytes) {
  uint64_t size;
  in = GetVarint(in, &size);
  *bytes = std::string_view(in, size);
  return in + size;
}

uint64_t MixPair(uint64_t hash, labels::LabelView pair) {
  hash = hash::Xxh3WithSeed(pair.name.data(), pair.name.size(), hash);
  return hash::Xxh3WithSeed(pair.value.data(), pair.value.size(), hash ^ 0x9E3779B97F4A7C15ULL);
}

}  // namespace

EntryArena::EntryArena(size_t max_block_bytes, std::shared_ptr<BlockPool> pool)
    : max_block_bytes_(max_block_bytes),
      pool_(std::move(pool)),
      next_block_bytes_(std::min(kFirstBlockBytes, max_block_bytes)) {
  assert(max_block_bytes > 0);
}

EntryArena::~EntryArena() {
  if (pool_ == nullptr) return;
  for (Block& block : blocks_) pool_->Put(std::move(block.data), block.size);
}

char* EntryArena::Allocate(size_t size) {
  if (size <= remaining_) {
    char* out = cursor_;
    cursor_ += size;
    remaining_ -= size;
    return out;
  }
  if (size > max_block_bytes_) {
    // A block of its own; the current block keeps serving smaller entries.
    blocks_.push_back({NewBlock(size), size});
    allocated_bytes_ += size;
    return blocks_.back().data.get();
  }
  // Doubling sizes (capped), so the pool sees few distinct sizes.
  size_t block_bytes = next_block_bytes_;
  while (block_bytes < size) block_bytes = std::min(max_block_bytes_, block_bytes * 2);
  next_block_bytes_ = std::min(max_block_bytes_, block_bytes * 2);
  blocks_.push_back({NewBlock(block_bytes), block_bytes});
  allocated_bytes_ += block_bytes;
  cursor_ = blocks_.back().data.get() + size;
  remaining_ = block_bytes - size;
  return blocks_.back().data.get();
}

std::unique_ptr<char[]> EntryArena::NewBlock(size_t size) {
  return pool_ != nullptr ? pool_->Get(size) : std::make_unique_for_overwrite<char[]>(size);
}

const char* EntryArena::Add(std::string_view line, std::span<const labels::LabelView> metadata) {
  size_t size = VarintSize(line.size()) + line.size() + VarintSize(metadata.size());
  for (const labels::LabelView& pair : metadata) {
    size += VarintSize(pair.name.size()) + pair.name.size() + VarintSize(pair.value.size()) +
            pair.value.size();
  }
  char* start = Allocate(size);
  char* out = PutBytes(line, start);
  out = PutVarint(metadata.size(), out);
  for (const labels::LabelView& pair : metadata) {
    out = PutBytes(pair.name, out);
    out = PutBytes(pair.value, out);
  }
  assert(static_cast<size_t>(out - start) == size);
  return start;
}

std::string_view EncodedLine(const char* entry) {
  std::string_view line;
  GetBytes(entry, &line);
  return line;
}

void AppendEncodedMetadata(const char* entry, std::vector<labels::LabelView>* out) {
  std::string_view line;
  DecodeEncodedEntry(entry, &line, out);
}

std::string_view DecodeEncodedEntry(const char* entry, std::string_view* line,
                                    std::vector<labels::LabelView>* metadata) {
  uint64_t count;
  const char* in = GetVarint(GetBytes(entry, line), &count);
  for (uint64_t i = 0; i < count; ++i) {
    labels::LabelView pair;
    in = GetBytes(GetBytes(in, &pair.name), &pair.value);
    metadata->push_back(pair);
  }
  return std::string_view(entry, static_cast<size_t>(in - entry));
}

bool EncodedEntryEquals(const char* entry, std::string_view line,
                        std::span<const labels::LabelView> metadata) {
  std::string_view stored_line;
  const char* in = GetBytes(entry, &stored_line);
  if (stored_line != line) return false;
  uint64_t count;
  in = GetVarint(in, &count);
  if (count != metadata.size()) return false;
  for (const labels::LabelView& pair : metadata) {
    labels::LabelView stored;
    in = GetBytes(GetBytes(in, &stored.name), &stored.value);
    if (stored != pair) return false;
  }
  return true;
}

uint64_t ContentHash(std::string_view line, std::span<const labels::LabelView> metadata) {
  uint64_t hash = hash::Xxh3(line);
  for (const labels::LabelView& pair : metadata) hash = MixPair(hash, pair);
  return hash;
}

uint64_t EncodedContentHash(const char* entry) {
  std::string_view line;
  uint64_t count;
  const char* in = GetVarint(GetBytes(entry, &line), &count);
  uint64_t hash = hash::Xxh3(line);
  for (uint64_t i = 0; i < count; ++i) {
    labels::LabelView pair;
    in = GetBytes(GetBytes(in, &pair.name), &pair.value);
    hash = MixPair(hash, pair);
  }
  return hash;
}

}  // namespace silt::store
