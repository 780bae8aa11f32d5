// ChunkCatalog: every chunk file the engine serves, grouped by (tenant, partition). Each partition
// has its label index (aggregator/index/partition_index.h) and an open reader per chunk (footer
// and directory in memory, blocks read on demand through the shared block cache). The catalog
// also answers which WAL records the chunk files already hold: per partition, the highest
// wal_seq_hi of its chunks, which recovery skips there.
//
// Load scans <data_dir>/tenants at startup: leftover `.tmp` files of interrupted flushes are
// removed; each partition's index comes from index.silt when it is current, else it is rebuilt
// from the chunk files (index_loader.h) and written back. A chunk that fails to open
// (Corruption) is reported, counted and skipped; every other chunk still serves.
//
// A flush adds a chunk in two steps: OpenChunk (file I/O) and Publish (in memory, quick, so the
// engine can make the chunk visible and release the head's copy in one step for queries), then
// WriteIndex persists the partition's index.
//
// Thread-safety: every method is thread-safe; snapshots stay valid while chunks are added.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aggregator/index/partition_index.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::engine {

struct ChunkHandle {
  std::string dir;
  std::string name;  // chunk-<wal_seq_hi>.silt
  std::unique_ptr<fs::RandomAccessFile> file;
  std::unique_ptr<store::ChunkReader> reader;  // reads `file`
};

// One (tenant, partition): immutable once published.
struct PartitionChunks {
  std::string tenant;
  std::string dir;
  int64_t start = 0;  // partition bounds [start, end)
  int64_t end = 0;
  uint64_t covered_sequence = 0;  // max wal_seq_hi of the chunks
  std::shared_ptr<const index::PartitionIndex> index;
  // The readers of the indexed chunks, by file name.
  std::map<std::string, std::shared_ptr<const ChunkHandle>, std::less<>> chunks;

  // The reader of an indexed chunk (always present for chunks the index lists).
  const ChunkHandle* Find(std::string_view name) const;
};

struct CatalogLoadReport {
  size_t partitions = 0;
  size_t chunks = 0;          // opened and serving
  size_t corrupt_chunks = 0;  // skipped
  size_t temp_files_removed = 0;
  size_t indexes_rebuilt = 0;
  std::vector<std::string> problems;  // one line per skipped file or rebuilt index, with the reason
};

class ChunkCatalog {
 public:
  // `fs` and the reader options' cache/counters must outlive the catalog.
  ChunkCatalog(fs::FileSystem* fs, std::string data_dir, store::ChunkReaderOptions reader_options);

  // Scans the data directory (missing: nothing to load). Errors only when the file system fails
  // to list a directory that exists; damaged files are in the report.
  Result<CatalogLoadReport> Load();

  // Opens the complete and durable chunk file `dir`/`name`. Corruption/IOError from opening it.
  Result<std::shared_ptr<const ChunkHandle>> OpenChunk(const std::string& dir,
                                                       const std::string& name) const;
  // Indexes `chunk` and makes it visible to queries. InvalidArgument from the index (a chunk of
  // another partition in its directory, a name already indexed).
  Status Publish(std::shared_ptr<const ChunkHandle> chunk);
  // Writes the current index of the partition (tenant, start) to its directory (index.silt).
  // A failure costs only a rebuild at the next start.
  Status WriteIndex(std::string_view tenant, int64_t start) const;

  // The highest wal_seq_hi of the chunks of (tenant, partition start); 0 when none.
  uint64_t CoveredSequence(std::string_view tenant, int64_t partition_start) const;
  // The highest wal_seq_hi of all chunks.
  uint64_t MaxCoveredSequence() const;

  // The partitions of `tenant` overlapping [from, through), oldest first.
  std::vector<std::shared_ptr<const PartitionChunks>> Partitions(std::string_view tenant,
                                                                 int64_t from,
                                                                 int64_t through) const;
  std::vector<std::string> Tenants() const;
  size_t chunk_count() const;

 private:
  using Key = std::pair<std::string, int64_t>;  // tenant, partition start

  Status LoadPartitionDir(const std::string& dir, CatalogLoadReport* report);
  // Requires mu_.
  void PublishLocked(std::shared_ptr<const PartitionChunks> partition);

  fs::FileSystem* const fs_;
  const std::string data_dir_;
  const store::ChunkReaderOptions reader_options_;

  mutable std::mutex mu_;
  std::map<Key, std::shared_ptr<const PartitionChunks>, std::less<>> partitions_;
  uint64_t max_covered_ = 0;
};

}  // namespace silt::engine
