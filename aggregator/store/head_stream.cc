#include "aggregator/store/head_stream.h"

#include <algorithm>
#include <cassert>
#include <limits>
#include <utility>

namespace silt::store {

HeadStream::HeadStream(labels::LabelSet labels, std::vector<StreamSnapshot> pieces)
    : labels_(std::move(labels)), pieces_(std::move(pieces)) {
  assert(!pieces_.empty());
}

uint64_t HeadStream::entries() const {
  uint64_t total = 0;
  for (const StreamSnapshot& piece : pieces_) total += piece.stats().entries;
  return total;
}

int64_t HeadStream::min_ts() const {
  int64_t min_ts = std::numeric_limits<int64_t>::max();
  for (const StreamSnapshot& piece : pieces_) min_ts = std::min(min_ts, piece.stats().min_ts);
  return min_ts;
}

int64_t HeadStream::max_ts() const {
  int64_t max_ts = std::numeric_limits<int64_t>::min();
  for (const StreamSnapshot& piece : pieces_) max_ts = std::max(max_ts, piece.stats().max_ts);
  return max_ts;
}

HeadStreamIterator HeadStream::NewIterator(int64_t from, int64_t through,
                                           Direction direction) const {
  std::vector<StreamIterator> parts;
  parts.reserve(pieces_.size());
  for (const StreamSnapshot& piece : pieces_) {
    StreamIterator it = piece.NewIterator(from, through, direction);
    if (it.Valid()) parts.push_back(std::move(it));
  }
  return HeadStreamIterator(std::move(parts), direction);
}

HeadStreamIterator::HeadStreamIterator(std::vector<StreamIterator> parts, Direction direction)
    : parts_(std::move(parts)), direction_(direction) {
  Pick();
}

void HeadStreamIterator::Next() {
  parts_[current_].Next();
  Pick();
}

// Pieces are few (usually one), so a linear scan beats a heap. Forward: the smallest timestamp,
// the earliest piece on ties. Backward: the largest timestamp, the latest piece on ties.
void HeadStreamIterator::Pick() {
  current_ = parts_.size();
  for (size_t i = 0; i < parts_.size(); ++i) {
    if (!parts_[i].Valid()) continue;
    if (current_ == parts_.size()) {
      current_ = i;
      continue;
    }
    int64_t ts = parts_[i].timestamp();
    int64_t best = parts_[current_].timestamp();
    if (direction_ == Direction::kForward ? ts < best : ts >= best) current_ = i;
  }
}

}  // namespace silt::store
