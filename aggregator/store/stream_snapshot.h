// StreamSnapshot: a consistent, immutable view of one head stream's entries at the moment it was
// taken, and StreamIterator, which walks a time range of it in either direction. Taking a
// snapshot is O(1): the stream's sorted index is copy-on-write (stream_head.h), so the writer
// copies a node only when it changes one that a snapshot may see, and entry bytes live in an
// append-only EntryArena that the snapshot keeps alive. Later appends never show up in, or move
// anything under, an existing snapshot.
//
// Thread-safety: a snapshot is immutable; any number of threads may read it and create
// iterators. An iterator is used by one thread. Both keep the data alive on their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_block.h"
#include "aggregator/store/entry_arena.h"
#include "shared/labels/label_set.h"

namespace silt::store {

// Per-stream figures, also kept live by StreamHead.
struct StreamStats {
  int64_t min_ts = std::numeric_limits<int64_t>::max();  // of the entries; max() when empty
  int64_t max_ts = std::numeric_limits<int64_t>::min();  // min() when empty
  uint64_t entries = 0;
  size_t bytes = 0;  // heap bytes held for the stream (arena, index, duplicate hash set)
};

// The index shared by StreamHead (writer) and snapshots (readers): a two-level B+-tree of
// entry references sorted by timestamp, equal timestamps in arrival order.
namespace head_internal {

struct EntryRef {
  int64_t ts;
  const char* entry;  // encoded in the stream's EntryArena
};

inline constexpr size_t kLeafCapacity = 256;

// A node is mutable only while its generation equals its stream's current generation; a
// snapshot bumps the stream's generation, which freezes every node it can reach.
struct Leaf {
  uint64_t generation = 0;
  std::vector<EntryRef> refs;  // 1..kLeafCapacity, sorted
};

struct Root {
  uint64_t generation = 0;
  std::vector<std::shared_ptr<Leaf>> leaves;  // in order; every leaf non-empty
};

// A position: leaf index and index inside it. {leaves.size(), 0} is the end.
struct Cursor {
  size_t leaf = 0;
  size_t pos = 0;
  friend bool operator==(const Cursor&, const Cursor&) = default;
};

// The first entry with timestamp >= ts (or the end).
Cursor LowerBound(const Root& root, int64_t ts);
// The first entry with timestamp > ts (or the end).
Cursor UpperBound(const Root& root, int64_t ts);
inline const EntryRef& At(const Root& root, Cursor c) { return root.leaves[c.leaf]->refs[c.pos]; }
inline bool AtEnd(const Root& root, Cursor c) { return c.leaf >= root.leaves.size(); }

// Whether the stream `root` indexes (with `stats`) has an entry in [from, through).
bool HasEntriesIn(const Root& root, const StreamStats& stats, int64_t from, int64_t through);

}  // namespace head_internal

class StreamIterator;

class StreamSnapshot {
 public:
  // An empty snapshot.
  StreamSnapshot() = default;

  const StreamStats& stats() const { return stats_; }
  bool empty() const { return stats_.entries == 0; }
  // Whether some entry has from <= timestamp < through. O(log n).
  bool HasEntriesIn(int64_t from, int64_t through) const;
  // The entries with from <= timestamp < through, oldest first (kForward) or newest first
  // (kBackward); equal timestamps in arrival order (reversed for kBackward).
  StreamIterator NewIterator(int64_t from, int64_t through, Direction direction) const;
  // Every entry; forward order is what ChunkWriter::Append needs.
  StreamIterator NewIterator(Direction direction) const;

 private:
  friend class StreamHead;
  StreamSnapshot(std::shared_ptr<const head_internal::Root> root,
                 std::shared_ptr<const EntryArena> arena, const StreamStats& stats)
      : root_(std::move(root)), arena_(std::move(arena)), stats_(stats) {}

  std::shared_ptr<const head_internal::Root> root_;  // null when empty
  std::shared_ptr<const EntryArena> arena_;
  StreamStats stats_;
};

class StreamIterator {
 public:
  // An exhausted iterator.
  StreamIterator() = default;

  bool Valid() const { return valid_; }
  // Precondition for Next and the accessors: Valid().
  void Next();
  int64_t timestamp() const { return Ref().ts; }
  // Valid while the iterator (or any snapshot of the stream) lives.
  std::string_view line() const { return EncodedLine(Ref().entry); }
  // Appends the entry's structured metadata pairs in the order they were added.
  void AppendMetadata(std::vector<labels::LabelView>* out) const {
    AppendEncodedMetadata(Ref().entry, out);
  }
  // line() and AppendMetadata(metadata) in one pass; returns the entry's encoded bytes (see
  // DecodeEncodedEntry), valid as line() is.
  std::string_view DecodeEntry(std::string_view* line,
                               std::vector<labels::LabelView>* metadata) const {
    return DecodeEncodedEntry(Ref().entry, line, metadata);
  }

 private:
  friend class StreamSnapshot;
  StreamIterator(std::shared_ptr<const head_internal::Root> root,
                 std::shared_ptr<const EntryArena> arena, int64_t first, int64_t last,
                 Direction direction);
  const head_internal::EntryRef& Ref() const { return head_internal::At(*root_, cursor_); }
  void CheckBounds();

  std::shared_ptr<const head_internal::Root> root_;
  std::shared_ptr<const EntryArena> arena_;
  int64_t first_ = 0;  // inclusive bounds
  int64_t last_ = 0;
  Direction direction_ = Direction::kForward;
  head_internal::Cursor cursor_;
  bool valid_ = false;
};

}  // namespace silt::store
