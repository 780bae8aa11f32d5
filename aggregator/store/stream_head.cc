#include "aggregator/store/stream_head.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

namespace silt::store {

using head_internal::Cursor;
using head_internal::EntryRef;
using head_internal::kLeafCapacity;
using head_internal::Leaf;
using head_internal::Root;

namespace {

// Entries sharing a timestamp that are compared one by one before a hash set is built.
constexpr size_t kScanLimit = 16;
constexpr size_t kNoLimit = std::numeric_limits<size_t>::max();
// A leaf's heap bytes: the object, its shared_ptr control block (vtable pointer and two counts)
// and its reference array.
constexpr size_t kLeafOverhead = sizeof(Leaf) + 16;

size_t LeafBytes(const Leaf& leaf) {
  return kLeafOverhead + leaf.refs.capacity() * sizeof(EntryRef);
}

bool LessTs(const EntryRef& a, const EntryRef& b) { return a.ts < b.ts; }

}  // namespace

StreamHead::StreamHead(size_t target_block_bytes, std::shared_ptr<BlockPool> pool)
    : arena_(std::make_shared<EntryArena>(target_block_bytes, std::move(pool))),
      root_(std::make_shared<Root>()) {
  root_->generation = generation_;
  UpdateBytes();
}

bool StreamHead::Contains(int64_t timestamp, std::string_view line,
                          std::span<const labels::LabelView> metadata) const {
  if (stats_.entries == 0 || timestamp > stats_.max_ts) return false;
  if (hot_valid_ && hot_ts_ == timestamp && !hot_set_.Contains(ContentHash(line, metadata))) {
    return false;
  }
  return ScanGroup(timestamp, line, metadata, kNoLimit) == ScanResult::kFound;
}

bool StreamHead::Append(int64_t timestamp, std::string_view line,
                        std::span<const labels::LabelView> metadata) {
  if (stats_.entries > 0 && timestamp <= stats_.max_ts) {
    bool hot = hot_valid_ && hot_ts_ == timestamp;
    if (!hot) {
      ScanResult result = ScanGroup(timestamp, line, metadata, kScanLimit);
      if (result == ScanResult::kFound) return false;
      if (result == ScanResult::kTooMany) {
        BuildHotSet(timestamp);
        hot = true;
      }
    }
    if (hot) {
      uint64_t hash = ContentHash(line, metadata);
      if (hot_set_.Contains(hash) &&
          ScanGroup(timestamp, line, metadata, kNoLimit) == ScanResult::kFound) {
        return false;
      }
      hot_set_.Insert(hash);
    }
  }
  Insert(EntryRef{timestamp, arena_->Add(line, metadata)});
  stats_.min_ts = std::min(stats_.min_ts, timestamp);
  stats_.max_ts = std::max(stats_.max_ts, timestamp);
  ++stats_.entries;
  UpdateBytes();
  return true;
}

bool StreamHead::HasEntriesIn(int64_t from, int64_t through) const {
  return head_internal::HasEntriesIn(*root_, stats_, from, through);
}

StreamSnapshot StreamHead::Snapshot() const {
  if (stats_.entries == 0) return StreamSnapshot();
  // Freeze every node the snapshot reaches; nothing to do when no node changed since the last
  // snapshot (a change would have given the root the current generation).
  if (root_->generation == generation_) ++generation_;
  return StreamSnapshot(root_, arena_, stats_);
}

StreamHead::ScanResult StreamHead::ScanGroup(int64_t timestamp, std::string_view line,
                                             std::span<const labels::LabelView> metadata,
                                             size_t limit) const {
  const Root& root = *root_;
  Cursor c = head_internal::LowerBound(root, timestamp);
  for (size_t seen = 0; !head_internal::AtEnd(root, c); ++seen) {
    const EntryRef& ref = head_internal::At(root, c);
    if (ref.ts != timestamp) break;
    if (seen == limit) return ScanResult::kTooMany;
    if (EncodedEntryEquals(ref.entry, line, metadata)) return ScanResult::kFound;
    if (++c.pos == root.leaves[c.leaf]->refs.size()) c = Cursor{c.leaf + 1, 0};
  }
  return ScanResult::kNotFound;
}

void StreamHead::BuildHotSet(int64_t timestamp) {
  hot_set_.Clear();
  hot_ts_ = timestamp;
  hot_valid_ = true;
  const Root& root = *root_;
  for (Cursor c = head_internal::LowerBound(root, timestamp);
       !head_internal::AtEnd(root, c) && head_internal::At(root, c).ts == timestamp;) {
    hot_set_.Insert(EncodedContentHash(head_internal::At(root, c).entry));
    if (++c.pos == root.leaves[c.leaf]->refs.size()) c = Cursor{c.leaf + 1, 0};
  }
}

Root& StreamHead::MutableRoot() {
  if (root_->generation != generation_) {
    auto copy = std::make_shared<Root>();
    copy->generation = generation_;
    copy->leaves.reserve(root_->leaves.capacity());
    copy->leaves = root_->leaves;
    root_ = std::move(copy);
  }
  return *root_;
}

Leaf& StreamHead::MutableLeaf(size_t index) {
  Root& root = MutableRoot();
  std::shared_ptr<Leaf>& slot = root.leaves[index];
  if (slot->generation != generation_) {
    auto copy = std::make_shared<Leaf>();
    copy->generation = generation_;
    copy->refs.reserve(slot->refs.capacity());
    copy->refs = slot->refs;
    index_bytes_ += LeafBytes(*copy);
    index_bytes_ -= LeafBytes(*slot);
    slot = std::move(copy);
  }
  return *slot;
}

void StreamHead::NewLeafAt(size_t index, std::vector<EntryRef> refs) {
  Root& root = MutableRoot();
  auto leaf = std::make_shared<Leaf>();
  leaf->generation = generation_;
  leaf->refs = std::move(refs);
  index_bytes_ += LeafBytes(*leaf);
  root.leaves.insert(root.leaves.begin() + static_cast<ptrdiff_t>(index), std::move(leaf));
}

void StreamHead::Insert(EntryRef ref) {
  Root& root = MutableRoot();
  const size_t leaf_count = root.leaves.size();
  if (leaf_count == 0 || ref.ts >= stats_.max_ts) {
    // In order: the end of the last leaf, or a new leaf when it is full.
    if (leaf_count == 0 || root.leaves.back()->refs.size() == kLeafCapacity) {
      std::vector<EntryRef> refs;
      // A stream that fills leaves gets them whole at once; a quiet one grows its first leaf.
      if (leaf_count > 0) refs.reserve(kLeafCapacity);
      refs.push_back(ref);
      NewLeafAt(leaf_count, std::move(refs));
      return;
    }
    Leaf& leaf = MutableLeaf(leaf_count - 1);
    index_bytes_ -= LeafBytes(leaf);
    leaf.refs.push_back(ref);
    index_bytes_ += LeafBytes(leaf);
    return;
  }
  InsertLate(ref);
}

void StreamHead::InsertLate(EntryRef ref) {
  // After every entry with a timestamp <= ref.ts (arrival order for ties).
  Root& root = MutableRoot();
  auto after = std::partition_point(
      root.leaves.begin(), root.leaves.end(),
      [&](const std::shared_ptr<Leaf>& l) { return l->refs.front().ts <= ref.ts; });
  size_t index =
      after == root.leaves.begin() ? 0 : static_cast<size_t>(after - root.leaves.begin()) - 1;
  Leaf* leaf = &MutableLeaf(index);
  auto pos = static_cast<size_t>(
      std::upper_bound(leaf->refs.begin(), leaf->refs.end(), ref, LessTs) - leaf->refs.begin());
  if (leaf->refs.size() == kLeafCapacity) {
    // Split in halves; the upper half becomes the next leaf.
    const size_t half = kLeafCapacity / 2;
    std::vector<EntryRef> upper;
    upper.reserve(kLeafCapacity);
    upper.assign(leaf->refs.begin() + half, leaf->refs.end());
    index_bytes_ -= LeafBytes(*leaf);
    leaf->refs.resize(half);
    index_bytes_ += LeafBytes(*leaf);
    NewLeafAt(index + 1, std::move(upper));
    if (pos > half) {
      leaf = root_->leaves[index + 1].get();
      pos -= half;
    } else {
      leaf = root_->leaves[index].get();
    }
  }
  index_bytes_ -= LeafBytes(*leaf);
  leaf->refs.insert(leaf->refs.begin() + static_cast<ptrdiff_t>(pos), ref);
  index_bytes_ += LeafBytes(*leaf);
}

void StreamHead::UpdateBytes() {
  stats_.bytes = sizeof(StreamHead) + sizeof(EntryArena) + arena_->allocated_bytes() +
                 sizeof(Root) + root_->leaves.capacity() * sizeof(std::shared_ptr<Leaf>) +
                 index_bytes_ + hot_set_.capacity() * sizeof(uint64_t);
}

}  // namespace silt::store
