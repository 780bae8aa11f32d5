// Block-wide line search: finds the entries of a ChunkBlock whose line contains a literal with
// one memmem pass over the block's line bytes (ChunkBlock::line_bytes: its lines back to back,
// as grep searches its buffer) instead of one search per line. Each hit is mapped back to the
// entry whose line bytes hold it; a hit that runs into the next line (or, in a version 1 block,
// starts in or runs into the headers and metadata between lines) is not a match of any line, and
// the search goes on one byte after it.
//
// FindLiteral is the search both use: on x86-64 CPUs with AVX2 it tests 32 positions at a time
// for two bytes of the literal (its first and last, or two rare bytes far apart when an end is a
// space, quote or '=') and compares only where both agree (glibc's memmem otherwise, and memchr
// for one byte).
//
// Pure functions over an immutable block; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_block.h"

namespace silt::store {

// A search for one literal in many byte ranges: the bytes the vector filter compares are chosen
// once, here, not at every Find. `literal` must outlive the finder. Immutable; thread-safe.
class LiteralFinder {
 public:
  explicit LiteralFinder(std::string_view literal);
  // The first occurrence of the literal in `bytes`, or nullptr; as memmem (`bytes.data()` for
  // an empty literal).
  const char* Find(std::string_view bytes) const;

 private:
  std::string_view literal_;
  bool avx2_ = false;  // search with FindAvx2 (literal of 3+ bytes on an AVX2 CPU)
  size_t first_ = 0;   // with avx2_: the positions of the two filter bytes in the literal
  size_t second_ = 0;
};

// The first occurrence of `literal` in `bytes`, or nullptr; as memmem. For one search; a loop
// over many ranges keeps a LiteralFinder.
const char* FindLiteral(std::string_view bytes, std::string_view literal);

// Sets (*marks)[i] to 1 for every entry i of `block` whose line contains at least one of
// `literals`, and leaves the other marks as they are. `marks` must hold block.size() bytes.
// An empty literal is contained in every line (including empty ones).
void MarkLinesContainingAny(const ChunkBlock& block, std::span<const std::string> literals,
                            std::vector<uint8_t>* marks);

// Resizes `*keep` to block.size() and sets keep[i] to 1 exactly when the line of entry i
// contains, for every group of `groups`, at least one literal of that group (an `|= "a" or
// "b" |= "c"` chain); 0 otherwise. With no groups every entry is kept.
void SelectLinesContaining(const ChunkBlock& block,
                           std::span<const std::vector<std::string>> groups,
                           std::vector<uint8_t>* keep);

}  // namespace silt::store
