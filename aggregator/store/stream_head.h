// StreamHead: the entries of one stream in one head partition, in memory. Lines and metadata are
// encoded once into an append-only EntryArena (about line bytes + 2); an index of 16-byte
// references (timestamp, pointer) is kept sorted by timestamp, equal timestamps in arrival order,
// as a two-level copy-on-write B+-tree:
//   - an in-order append (timestamp >= the newest) goes to the end of the last leaf: O(1);
//   - an out-of-order entry is inserted into its leaf: O(log n + leaf size);
//   - Snapshot() is O(1); after it the writer copies a leaf (<= 4 KiB) or the leaf list the first
//     time it changes one the snapshot can see, so readers never see later changes.
// Identical entries (same timestamp, line and metadata pairs in the same order) are stored once.
// Only an entry with timestamp <= the newest can be a duplicate, so in-order streams never look
// anything up; otherwise the lookup is a binary search to the entries of that timestamp, and
// when many entries share it (second-precision clocks) a hash set of their contents makes the
// lookup O(1) amortised.
// StreamHead does not know about windows or partitions: Head (head.h) applies those rules.
//
// Thread-safety: not thread-safe; the owner serialises every call (Head holds its mutex).
// Snapshots are immutable and may be used from any thread, during later appends and after the
// StreamHead is gone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "aggregator/store/block_pool.h"
#include "aggregator/store/content_hash_set.h"
#include "aggregator/store/entry_arena.h"
#include "aggregator/store/stream_snapshot.h"
#include "shared/labels/label_set.h"

namespace silt::store {

class StreamHead {
 public:
  // `target_block_bytes` > 0: the size the arena's line blocks grow to. `pool` (optional, with
  // that block size) recycles full-size blocks.
  explicit StreamHead(size_t target_block_bytes, std::shared_ptr<BlockPool> pool = nullptr);
  StreamHead(const StreamHead&) = delete;
  StreamHead& operator=(const StreamHead&) = delete;

  // Whether an identical entry is stored. Views are only read during the call.
  bool Contains(int64_t timestamp, std::string_view line,
                std::span<const labels::LabelView> metadata) const;
  // Stores a copy of the entry and returns true, or returns false (storing nothing) when an
  // identical entry is already stored.
  bool Append(int64_t timestamp, std::string_view line,
              std::span<const labels::LabelView> metadata);

  // Whether some stored entry has from <= timestamp < through. O(log n).
  bool HasEntriesIn(int64_t from, int64_t through) const;
  // The entries stored so far, unaffected by later appends.
  StreamSnapshot Snapshot() const;

  const StreamStats& stats() const { return stats_; }

 private:
  enum class ScanResult { kFound, kNotFound, kTooMany };

  // Compares the entry with the stored entries of its timestamp, giving up after `limit`.
  ScanResult ScanGroup(int64_t timestamp, std::string_view line,
                       std::span<const labels::LabelView> metadata, size_t limit) const;
  void BuildHotSet(int64_t timestamp);
  void Insert(head_internal::EntryRef ref);
  void InsertLate(head_internal::EntryRef ref);  // ref.ts < the newest timestamp
  head_internal::Root& MutableRoot();
  head_internal::Leaf& MutableLeaf(size_t index);
  void NewLeafAt(size_t index, std::vector<head_internal::EntryRef> refs);
  void UpdateBytes();

  std::shared_ptr<EntryArena> arena_;
  std::shared_ptr<head_internal::Root> root_;
  // Nodes whose generation is below this may be shared with a snapshot and are never changed.
  mutable uint64_t generation_ = 1;
  size_t index_bytes_ = 0;  // leaves and the leaf list
  // Content hashes of every stored entry with timestamp hot_ts_ (valid when hot_valid_).
  ContentHashSet hot_set_;
  int64_t hot_ts_ = 0;
  bool hot_valid_ = false;
  StreamStats stats_;
};

}  // namespace silt::store
