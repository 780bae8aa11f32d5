// EntryArena: append-only storage for the entries of one head stream. Each entry (line and
// structured metadata) is encoded once into large blocks that are never moved or freed before
// the arena, so a pointer to an encoded entry stays valid as long as the arena lives; snapshots
// hold the arena by shared_ptr and read entries while the writer keeps adding. Blocks start
// small and double up to `max_block_bytes`, so a quiet stream costs little; an entry larger than
// that gets a block of its own. Blocks come from, and return to, an optional BlockPool shared by
// all arenas of a head.
//
// Encoded entry: varint line_size, line, varint metadata_count, then per pair varint name_size,
// name, varint value_size, value (varints are LEB128). About 2 bytes of overhead per entry.
//
// Thread-safety: Add is for one writer at a time; the bytes of an added entry are immutable and
// may be read from any thread that learned the pointer after Add returned (e.g. through a mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "aggregator/store/block_pool.h"
#include "shared/labels/label_set.h"

namespace silt::store {

class EntryArena {
 public:
  // `max_block_bytes` > 0: the size blocks grow to. `pool` may be null.
  explicit EntryArena(size_t max_block_bytes, std::shared_ptr<BlockPool> pool = nullptr);
  ~EntryArena();
  EntryArena(const EntryArena&) = delete;
  EntryArena& operator=(const EntryArena&) = delete;

  // Encodes the entry and returns where it starts; valid for the arena's lifetime.
  const char* Add(std::string_view line, std::span<const labels::LabelView> metadata);

  // Heap bytes of all blocks (capacity, not just the used part).
  size_t allocated_bytes() const { return allocated_bytes_; }

 private:
  char* Allocate(size_t size);
  std::unique_ptr<char[]> NewBlock(size_t size);

  const size_t max_block_bytes_;
  const std::shared_ptr<BlockPool> pool_;
  size_t next_block_bytes_;
  struct Block {
    std::unique_ptr<char[]> data;
    size_t size;
  };
  std::vector<Block> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t allocated_bytes_ = 0;
};

// Readers of an encoded entry (a pointer returned by EntryArena::Add). Views point into the
// arena.
std::string_view EncodedLine(const char* entry);
// Appends the metadata pairs in the order they were added.
void AppendEncodedMetadata(const char* entry, std::vector<labels::LabelView>* out);
// Both of the above in one pass: sets `*line`, appends the metadata pairs to `*metadata` and
// returns all of the entry's encoded bytes, which are also how a chunk block stores the entry
// after its timestamp delta (chunk_format.h), so a flush can copy them as they are.
std::string_view DecodeEncodedEntry(const char* entry, std::string_view* line,
                                    std::vector<labels::LabelView>* metadata);
// Whether the encoded entry has exactly this line and these metadata pairs, in this order.
bool EncodedEntryEquals(const char* entry, std::string_view line,
                        std::span<const labels::LabelView> metadata);

// A 64-bit hash of a line and its metadata pairs (order-sensitive), for duplicate lookups;
// in-memory only, never stored. EncodedContentHash(e) == ContentHash(line, metadata) of the
// entry `e` encodes.
uint64_t ContentHash(std::string_view line, std::span<const labels::LabelView> metadata);
uint64_t EncodedContentHash(const char* entry);

}  // namespace silt::store
