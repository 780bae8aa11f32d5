#include "aggregator/engine/stream_selection.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "aggregator/store/block_line_search.h"

namespace silt::engine {
namespace {

using store::Direction;

// One stream's blocks in one chunk file, read one block at a time.
class ChunkPieceSource final : public EntrySource {
 public:
  // `blocks_loaded` counts ReadBlock calls over all sources of one iteration.
  ChunkPieceSource(const ChunkPiece& piece, int64_t from, int64_t through, Direction direction,
                   const BlockFilter& filter, IterationState* state, size_t* blocks_loaded)
      : piece_(piece),
        from_(from),
        through_(through),
        direction_(direction),
        filter_(filter),
        state_(state),
        blocks_loaded_(blocks_loaded) {}

  int64_t min_ts() const override { return std::max(from_, piece_.blocks.front().min_ts); }
  int64_t max_ts() const override { return std::min(through_ - 1, piece_.blocks.back().max_ts); }

  void Start() override { Load(); }
  bool Valid() const override { return block_.has_value(); }
  void Next() override {
    block_->Next();
    if (block_->Valid() && InRange(block_->timestamp()) && SkipUnselected()) return;
    ++pos_;
    Load();
  }
  int64_t timestamp() const override { return block_->timestamp(); }
  std::string_view line() const override { return block_->line(); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const override {
    block_->AppendMetadata(out);
  }

 private:
  bool InRange(int64_t ts) const { return from_ <= ts && ts < through_; }

  // Lets go of the current block.
  void Drop() {
    block_.reset();
    state_->held_block_bytes -= block_bytes_;
    block_bytes_ = 0;
  }

  // Moves past the entries of the current block that required_line_literals rule out, counting
  // them. Precondition: the current entry is valid and in range. False when no in-range entry
  // of the block is left.
  bool SkipUnselected() {
    if (filter_.required_line_literals.empty()) return true;
    const store::ChunkBlock& block = block_->block();
    const ptrdiff_t step = direction_ == Direction::kForward ? 1 : -1;
    ptrdiff_t i = static_cast<ptrdiff_t>(block_->index());
    size_t skipped = 0;
    uint64_t bytes = 0;
    for (; i != edge_ && !selected_[i]; i += step, ++skipped) {
      bytes += block.line_size(i) + block.MetadataBytes(i);
    }
    state_->skipped_lines += skipped;
    state_->skipped_bytes += bytes;
    block_->Skip(skipped);
    return i != edge_;
  }

  // Positions on the first in-range (and selected) entry of the block at pos_ or a later one.
  void Load() {
    Drop();
    const size_t n = piece_.blocks.size();
    for (; pos_ < n; ++pos_) {
      const index::BlockRef& ref =
          piece_.blocks[direction_ == Direction::kForward ? pos_ : n - 1 - pos_];
      if (ref.max_ts < from_ || ref.min_ts >= through_) continue;
      if (state_->problems.stopped || (filter_.stop && filter_.stop())) {
        state_->problems.stopped = true;
        pos_ = n;
        return;
      }
      const store::ChunkReader& reader = *piece_.chunk->reader;
      if (filter_.before_read && !filter_.before_read(reader, piece_.stream_index, ref)) {
        ++state_->problems.blocks_filtered;
        continue;
      }
      store::BlockReadOptions options;
      options.fill_cache = *blocks_loaded_ < kCachedBlocksPerIteration;
      if (filter_.after_decompress) options.filter = &filter_.after_decompress;
      ++*blocks_loaded_;
      auto block = reader.ReadBlock(piece_.stream_index, ref.block_index, options);
      if (!block.ok()) {
        ++state_->problems.blocks_failed;
        if (state_->problems.first_error.ok()) state_->problems.first_error = block.status();
        continue;
      }
      if (*block == nullptr) {
        ++state_->problems.blocks_filtered;
        continue;
      }
      const size_t bytes = (*block)->MemoryBytes();
      store::ChunkBlockIterator it(std::move(*block), direction_);
      it.Seek(direction_ == Direction::kForward ? from_ : through_ - 1);
      if (!it.Valid() || !InRange(it.timestamp())) continue;
      if (!filter_.required_line_literals.empty()) {
        const store::ChunkBlock& block = it.block();
        store::SelectLinesContaining(block, filter_.required_line_literals, &selected_);
        // The first index past the range in the walk's direction (-1 backward when none).
        edge_ = direction_ == Direction::kForward
                    ? static_cast<ptrdiff_t>(block.LowerBound(through_))
                    : static_cast<ptrdiff_t>(block.LowerBound(from_)) - 1;
      }
      block_.emplace(std::move(it));
      block_bytes_ = bytes;
      state_->held_block_bytes += bytes;
      if (SkipUnselected()) return;
      Drop();
    }
  }

  const ChunkPiece& piece_;
  const int64_t from_;
  const int64_t through_;
  const Direction direction_;
  const BlockFilter& filter_;
  // Shared with the iterator; not touched on destruction (the count dies with the iterator).
  IterationState* const state_;
  size_t* const blocks_loaded_;
  size_t pos_ = 0;  // blocks walked, in the walk's direction
  std::optional<store::ChunkBlockIterator> block_;
  std::vector<uint8_t> selected_;  // per entry of block_, by required_line_literals
  ptrdiff_t edge_ = 0;             // with selected_: where block_'s in-range entries end
  size_t block_bytes_ = 0;         // block_'s MemoryBytes(), counted in state_->held_block_bytes
};

class HeadSource final : public EntrySource {
 public:
  HeadSource(const store::HeadStream& stream, int64_t from, int64_t through, Direction direction)
      : stream_(stream), from_(from), through_(through), direction_(direction) {}

  int64_t min_ts() const override { return std::max(from_, stream_.min_ts()); }
  int64_t max_ts() const override { return std::min(through_ - 1, stream_.max_ts()); }
  void Start() override { it_ = stream_.NewIterator(from_, through_, direction_); }
  bool Valid() const override { return it_.Valid(); }
  void Next() override { it_.Next(); }
  int64_t timestamp() const override { return it_.timestamp(); }
  std::string_view line() const override { return it_.line(); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const override {
    it_.AppendMetadata(out);
  }

 private:
  const store::HeadStream& stream_;
  const int64_t from_;
  const int64_t through_;
  const Direction direction_;
  store::HeadStreamIterator it_;
};

// Holds what the sources point into, so the iterator outlives the selection it came from.
class OwningSource final : public EntrySource {
 public:
  OwningSource(std::shared_ptr<const void> keep_alive, std::unique_ptr<EntrySource> inner)
      : keep_alive_(std::move(keep_alive)), inner_(std::move(inner)) {}
  int64_t min_ts() const override { return inner_->min_ts(); }
  int64_t max_ts() const override { return inner_->max_ts(); }
  void Start() override { inner_->Start(); }
  bool Valid() const override { return inner_->Valid(); }
  void Next() override { inner_->Next(); }
  int64_t timestamp() const override { return inner_->timestamp(); }
  std::string_view line() const override { return inner_->line(); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const override {
    inner_->AppendMetadata(out);
  }

 private:
  std::shared_ptr<const void> keep_alive_;
  std::unique_ptr<EntrySource> inner_;
};

}  // namespace

StreamEntryIterator StreamSelection::NewIterator(int64_t from, int64_t through, Direction direction,
                                                 BlockFilter filter) const {
  auto state = std::make_shared<IterationState>();
  std::vector<std::unique_ptr<EntrySource>> sources;
  if (from >= through) return StreamEntryIterator({}, direction, state);
  // The sources point into a private copy of the selection (pieces, head snapshot, filter),
  // shared by all of them.
  struct Owned {
    StreamSelection selection;
    BlockFilter filter;
    size_t blocks_loaded = 0;  // for the cache fill limit
  };
  auto owned = std::make_shared<Owned>(Owned{*this, std::move(filter), 0});
  for (const ChunkPiece& piece : owned->selection.chunks) {
    if (piece.blocks.empty()) continue;
    auto source = std::make_unique<ChunkPieceSource>(piece, from, through, direction, owned->filter,
                                                     state.get(), &owned->blocks_loaded);
    if (source->min_ts() > source->max_ts()) continue;
    sources.push_back(std::make_unique<OwningSource>(owned, std::move(source)));
  }
  if (owned->selection.head) {
    auto source = std::make_unique<HeadSource>(*owned->selection.head, from, through, direction);
    if (source->min_ts() <= source->max_ts()) {
      sources.push_back(std::make_unique<OwningSource>(owned, std::move(source)));
    }
  }
  return StreamEntryIterator(std::move(sources), direction, std::move(state));
}

StreamEntryIterator::StreamEntryIterator(std::vector<std::unique_ptr<EntrySource>> sources,
                                         Direction direction, std::shared_ptr<IterationState> state)
    : sources_(std::move(sources)), direction_(direction), state_(std::move(state)) {
  pending_.resize(sources_.size());
  for (size_t i = 0; i < sources_.size(); ++i) pending_[i] = i;
  // The next source to start goes last.
  std::sort(pending_.begin(), pending_.end(), [this](size_t a, size_t b) {
    if (direction_ == Direction::kForward) {
      int64_t ta = sources_[a]->min_ts();
      int64_t tb = sources_[b]->min_ts();
      return ta != tb ? ta > tb : a > b;
    }
    int64_t ta = sources_[a]->max_ts();
    int64_t tb = sources_[b]->max_ts();
    return ta != tb ? ta < tb : a < b;
  });
  Pick();
}

StreamEntryIterator::StreamEntryIterator(StreamEntryIterator&&) noexcept = default;
StreamEntryIterator& StreamEntryIterator::operator=(StreamEntryIterator&&) noexcept = default;
StreamEntryIterator::~StreamEntryIterator() = default;

bool StreamEntryIterator::After(const Active& a, const Active& b) const {
  int64_t ta = a.source->timestamp();
  int64_t tb = b.source->timestamp();
  if (direction_ == Direction::kForward) return ta != tb ? ta > tb : a.order > b.order;
  return ta != tb ? ta < tb : a.order < b.order;
}

void StreamEntryIterator::Push(Active active) {
  heap_.push_back(active);
  std::push_heap(heap_.begin(), heap_.end(),
                 [this](const Active& a, const Active& b) { return After(a, b); });
}

void StreamEntryIterator::Pick() {
  const bool forward = direction_ == Direction::kForward;
  while (!pending_.empty()) {
    size_t next = pending_.back();
    EntrySource& source = *sources_[next];
    if (!heap_.empty()) {
      int64_t top = heap_.front().source->timestamp();
      // A source that starts after the next entry cannot hold it (ties must start: the source
      // may come first in arrival order).
      if (forward ? source.min_ts() > top : source.max_ts() < top) break;
    }
    pending_.pop_back();
    source.Start();
    if (source.Valid()) Push(Active{&source, next});
  }
  current_ = heap_.empty() ? nullptr : heap_.front().source;
}

void StreamEntryIterator::Next() {
  auto after = [this](const Active& a, const Active& b) { return After(a, b); };
  std::pop_heap(heap_.begin(), heap_.end(), after);
  Active top = heap_.back();
  heap_.pop_back();
  top.source->Next();
  if (top.source->Valid()) Push(top);
  Pick();
}

}  // namespace silt::engine
