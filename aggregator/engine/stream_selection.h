// StreamSelection: one stream a query selected, with everything the engine holds of it in the
// queried range: its blocks in chunk files (per partition, per chunk) and its head pieces.
// NewIterator walks all of them as one timestamp-ordered sequence, so a query never sees where
// the head ends and the chunk files begin (and never sees an entry twice while a flush moves a
// partition from the head to a chunk: StorageEngine takes both views in one step).
//
// Equal timestamps come in arrival order: older chunks of a partition before newer ones, chunk
// data before head data; reversed when walking backward.
//
// Blocks are read lazily, one at a time per chunk, when the walk reaches their time range (a
// query with a small limit touches only the blocks it returns). A BlockFilter lets the planner
// skip blocks before they are read, e.g. by bloom checks (ChunkReader::BlockMayContainLiteral),
// and after they are decompressed but before their entries are parsed, e.g. when the block's
// bytes do not contain a literal every returned line must contain. Its required_line_literals
// go further: a chunk block's entries whose line lacks every literal of some group are passed
// over inside the block (store/block_line_search.h: one memmem pass over the block, hits mapped
// back to lines) and never yielded; they still count as read (skipped_lines / skipped_bytes),
// as if the caller had read and dropped them.
//
// Block cache: an iteration inserts only the first kCachedBlocksPerIteration blocks it reads
// (over all its chunk pieces) into the shared BlockCache; later blocks are looked up in the
// cache but not inserted (BlockReadOptions::fill_cache), so a long scan keeps its memory flat
// and does not evict the blocks that short queries (recent entries, small limits) re-read.
// A block that fails to read (corrupt, I/O error) is skipped; the iterator counts it and keeps
// the first error, so one damaged block costs its entries, not the query.
//
// Memory: each started chunk source keeps its current decompressed block (from the BlockCache or
// read for the iterator); held_block_bytes() says how much that is right now, so a query can
// charge what it pins to its memory budget. Head data is not counted: the head owns it.
//
// Thread-safety: a selection is immutable and keeps its chunks and head snapshots alive; an
// iterator is used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "aggregator/engine/chunk_catalog.h"
#include "aggregator/index/partition_index.h"
#include "aggregator/store/chunk_block.h"
#include "aggregator/store/chunk_reader.h"
#include "aggregator/store/head_stream.h"
#include "shared/labels/label_set.h"
#include "shared/status/status.h"

namespace silt::engine {

// One stream's blocks in one chunk file that overlap the selected range.
struct ChunkPiece {
  std::shared_ptr<const ChunkHandle> chunk;  // keeps the reader open
  uint32_t stream_index = 0;                 // for ChunkReader::ReadBlock
  std::vector<index::BlockRef> blocks;       // in timestamp order
};

// Decides before a block is read whether a query needs it; false skips the block. Called on
// the iterating thread; must not throw.
using BlockRefFilter = std::function<bool(const store::ChunkReader& reader, uint32_t stream_index,
                                          const index::BlockRef& block)>;

// The two chances a query has to skip a chunk block; either may be empty. A skipped block
// counts in ReadProblems::blocks_filtered. Converts from a BlockRefFilter callable.
struct BlockFilter {
  BlockFilter() = default;
  template <typename F>
  requires std::is_invocable_r_v<bool, F&, const store::ChunkReader&, uint32_t,
                                 const index::BlockRef&>
  BlockFilter(F before) : before_read(std::move(before)) {}  // NOLINT: implicit on purpose

  BlockRefFilter before_read;                       // from the directory and bloom
  store::DecompressedBlockFilter after_decompress;  // from the decompressed bytes
  // Groups of alternatives (`|= "a" or "b" |= "c"`): an entry of a chunk block is yielded only
  // when its line contains a literal of every group. The caller must drop every other entry
  // anyway (e.g. its line filters would). Empty: every entry. Head entries are not filtered.
  std::vector<std::vector<std::string>> required_line_literals;
  // Asked before each chunk block the walk would read; true ends the iteration there (every
  // source stops yielding, ReadProblems::stopped is set). A query's deadline: a walk that reads
  // many blocks without yielding an entry (all skipped by the hooks above) still stops in time.
  std::function<bool()> stop;
};

// Blocks one iteration (NewIterator) may insert into the BlockCache.
inline constexpr size_t kCachedBlocksPerIteration = 2;

class StreamEntryIterator;

struct StreamSelection {
  labels::LabelSet labels;
  std::vector<ChunkPiece> chunks;  // oldest partition first, then by chunk file name
  std::optional<store::HeadStream> head;

  // The entries with from <= timestamp < through, oldest first (kForward) or newest first.
  StreamEntryIterator NewIterator(int64_t from, int64_t through, store::Direction direction,
                                  BlockFilter filter = {}) const;
};

// One source of a merge: a chunk piece or the head stream.
class EntrySource {
 public:
  virtual ~EntrySource() = default;
  // Bounds of what the source may yield (from the directory, before reading anything).
  virtual int64_t min_ts() const = 0;
  virtual int64_t max_ts() const = 0;
  // Positions on the first entry; called once before the accessors.
  virtual void Start() = 0;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual int64_t timestamp() const = 0;
  virtual std::string_view line() const = 0;
  virtual void AppendMetadata(std::vector<labels::LabelView>* out) const = 0;
};

// What an iteration skipped.
struct ReadProblems {
  uint64_t blocks_filtered = 0;  // skipped by either hook of the BlockFilter
  uint64_t blocks_failed = 0;    // could not be read or decoded: their entries are missing
  Status first_error;            // of the failed blocks
  bool stopped = false;          // BlockFilter::stop ended the iteration early
};

// What the sources of one iteration share with their iterator.
struct IterationState {
  ReadProblems problems;
  size_t held_block_bytes = 0;  // ChunkBlock::MemoryBytes() of the blocks the sources keep
  // Entries passed over by BlockFilter::required_line_literals, and their line plus structured
  // metadata bytes.
  uint64_t skipped_lines = 0;
  uint64_t skipped_bytes = 0;
};

class StreamEntryIterator {
 public:
  // `sources` in arrival order (see above).
  StreamEntryIterator(std::vector<std::unique_ptr<EntrySource>> sources, store::Direction direction,
                      std::shared_ptr<IterationState> state);
  StreamEntryIterator(StreamEntryIterator&&) noexcept;
  StreamEntryIterator& operator=(StreamEntryIterator&&) noexcept;
  ~StreamEntryIterator();

  bool Valid() const { return current_ != nullptr; }
  // Precondition for Next and the accessors: Valid().
  void Next();
  int64_t timestamp() const { return current_->timestamp(); }
  std::string_view line() const { return current_->line(); }
  void AppendMetadata(std::vector<labels::LabelView>* out) const { current_->AppendMetadata(out); }

  const ReadProblems& problems() const { return state_->problems; }
  // Heap bytes of the decompressed chunk blocks the iterator keeps now (one per started chunk
  // source that has an entry left); changes only when a block is loaded or dropped.
  size_t held_block_bytes() const { return state_->held_block_bytes; }
  // Totals so far of the entries passed over by BlockFilter::required_line_literals (read but
  // not yielded) and of their line plus structured metadata bytes.
  uint64_t skipped_lines() const { return state_->skipped_lines; }
  uint64_t skipped_bytes() const { return state_->skipped_bytes; }

 private:
  struct Active {
    EntrySource* source;
    size_t order;  // position in arrival order: breaks timestamp ties
  };
  // Whether `a` comes after `b` in the walk (heap order: the top is the next entry).
  bool After(const Active& a, const Active& b) const;
  // Starts the pending sources that may hold the next entry, then picks it.
  void Pick();
  void Push(Active active);

  std::vector<std::unique_ptr<EntrySource>> sources_;
  store::Direction direction_;
  std::shared_ptr<IterationState> state_;
  // Not yet started, the next to start last (by min_ts forward, by max_ts backward).
  std::vector<size_t> pending_;
  std::vector<Active> heap_;  // started sources with an entry
  EntrySource* current_ = nullptr;
};

}  // namespace silt::engine
