// HeadStream: what the head holds of one stream for a query, as one or more snapshots
// ("pieces"): one per partition in range, and within a partition first the frozen versions
// still being flushed, then the live one. HeadStreamIterator merges the pieces into one
// timestamp-ordered walk of a time range, equal timestamps in arrival order (reversed when
// walking backward).
//
// Thread-safety: a HeadStream is immutable and may be shared between threads; an iterator is
// used by one thread. Both keep their data alive on their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "aggregator/store/chunk_block.h"
#include "aggregator/store/stream_snapshot.h"
#include "shared/labels/label_set.h"

namespace silt::store {

class HeadStreamIterator;

class HeadStream {
 public:
  // `pieces` non-empty, in arrival order: a piece's entries arrived before those of any later
  // piece with the same timestamp.
  HeadStream(labels::LabelSet labels, std::vector<StreamSnapshot> pieces);

  const labels::LabelSet& labels() const { return labels_; }
  std::span<const StreamSnapshot> pieces() const { return pieces_; }
  // Totals over the pieces.
  uint64_t entries() const;
  int64_t min_ts() const;
  int64_t max_ts() const;

  // The entries with from <= timestamp < through, oldest first (kForward) or newest first.
  HeadStreamIterator NewIterator(int64_t from, int64_t through, Direction direction) const;

 private:
  labels::LabelSet labels_;
  std::vector<StreamSnapshot> pieces_;
};

class HeadStreamIterator {
 public:
  // An exhausted iterator.
  HeadStreamIterator() = default;
  HeadStreamIterator(std::vector<StreamIterator> parts, Direction direction);

  bool Valid() const { return current_ < parts_.size(); }
  // Precondition for Next and the accessors: Valid().
  void Next();
  int64_t timestamp() const { return parts_[current_].timestamp(); }
  std::string_view line() const { return parts_[current_].line(); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const {
    parts_[current_].AppendMetadata(out);
  }

 private:
  void Pick();

  std::vector<StreamIterator> parts_;
  Direction direction_ = Direction::kForward;
  size_t current_ = 0;  // parts_.size() when exhausted
};

}  // namespace silt::store
