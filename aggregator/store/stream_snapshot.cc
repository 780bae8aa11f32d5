#include "aggregator/store/stream_snapshot.h"

#include <algorithm>
#include <utility>

namespace silt::store {
namespace head_internal {
namespace {

// The first entry whose timestamp makes `past(ts)` true; leaves are searched by their last
// timestamp, then the leaf by binary search.
template <typename Past>
Cursor Bound(const Root& root, Past past) {
  auto leaf = std::partition_point(
      root.leaves.begin(), root.leaves.end(),
      [&](const std::shared_ptr<Leaf>& l) { return !past(l->refs.back().ts); });
  if (leaf == root.leaves.end()) return Cursor{root.leaves.size(), 0};
  const std::vector<EntryRef>& refs = (*leaf)->refs;
  auto pos = std::partition_point(refs.begin(), refs.end(),
                                  [&](const EntryRef& r) { return !past(r.ts); });
  return Cursor{static_cast<size_t>(leaf - root.leaves.begin()),
                static_cast<size_t>(pos - refs.begin())};
}

}  // namespace

Cursor LowerBound(const Root& root, int64_t ts) {
  return Bound(root, [ts](int64_t t) { return t >= ts; });
}

Cursor UpperBound(const Root& root, int64_t ts) {
  return Bound(root, [ts](int64_t t) { return t > ts; });
}

bool HasEntriesIn(const Root& root, const StreamStats& stats, int64_t from, int64_t through) {
  if (stats.entries == 0 || from >= through || stats.max_ts < from || stats.min_ts >= through) {
    return false;
  }
  Cursor c = LowerBound(root, from);
  return !AtEnd(root, c) && At(root, c).ts < through;
}

}  // namespace head_internal

bool StreamSnapshot::HasEntriesIn(int64_t from, int64_t through) const {
  return !empty() && head_internal::HasEntriesIn(*root_, stats_, from, through);
}

StreamIterator StreamSnapshot::NewIterator(int64_t from, int64_t through,
                                           Direction direction) const {
  if (empty() || from >= through) return StreamIterator();
  return StreamIterator(root_, arena_, from, through - 1, direction);
}

StreamIterator StreamSnapshot::NewIterator(Direction direction) const {
  if (empty()) return StreamIterator();
  return StreamIterator(root_, arena_, stats_.min_ts, stats_.max_ts, direction);
}

StreamIterator::StreamIterator(std::shared_ptr<const head_internal::Root> root,
                               std::shared_ptr<const EntryArena> arena, int64_t first, int64_t last,
                               Direction direction)
    : root_(std::move(root)),
      arena_(std::move(arena)),
      first_(first),
      last_(last),
      direction_(direction) {
  if (direction == Direction::kForward) {
    cursor_ = head_internal::LowerBound(*root_, first);
    valid_ = !head_internal::AtEnd(*root_, cursor_);
  } else {
    cursor_ = head_internal::UpperBound(*root_, last);
    if (cursor_.leaf == 0 && cursor_.pos == 0) return;  // nothing at or before `last`
    if (cursor_.pos > 0) {
      --cursor_.pos;
    } else {
      --cursor_.leaf;
      cursor_.pos = root_->leaves[cursor_.leaf]->refs.size() - 1;
    }
    valid_ = true;
  }
  CheckBounds();
}

void StreamIterator::CheckBounds() {
  if (valid_) valid_ = Ref().ts >= first_ && Ref().ts <= last_;
}

void StreamIterator::Next() {
  if (direction_ == Direction::kForward) {
    if (++cursor_.pos == root_->leaves[cursor_.leaf]->refs.size()) {
      ++cursor_.leaf;
      cursor_.pos = 0;
      valid_ = !head_internal::AtEnd(*root_, cursor_);
    }
  } else if (cursor_.pos > 0) {
    --cursor_.pos;
  } else if (cursor_.leaf > 0) {
    --cursor_.leaf;
    cursor_.pos = root_->leaves[cursor_.leaf]->refs.size() - 1;
  } else {
    valid_ = false;
  }
  CheckBounds();
}

}  // namespace silt::store
