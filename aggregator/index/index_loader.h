// Loading a partition's index at startup (or on first query): use `index.silt` when it is intact
// and covers exactly the chunk files in the directory, and none of the chunks it records as
// skipped opens and belongs now (after a downgrade and an upgrade, chunks an older build could not
// read come back this way); otherwise rebuild it from the chunk files
// alone, say why, and (by default) write the rebuilt index back. Chunk files that cannot be
// indexed (corrupt, or of another tenant or partition) are reported, counted and skipped; every
// other chunk is still indexed. RebuildIndex is `silt-aggregator rebuild-index`.
//
// A chunk file is a directory entry named `chunk-*.silt` (so `*.silt.tmp` leftovers of crashed
// writes and `index.silt` itself are not). The directory must not change while these run (the
// caller holds off flushes and compaction of the partition), or the result may be stale at once.
// Stateless functions; thread-safe for distinct partitions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/index/partition_index.h"
#include "aggregator/store/chunk_reader.h"
#include "shared/fs/file_system.h"
#include "shared/status/result.h"

namespace silt::index {

// Whether `name` (a directory entry) is a complete chunk file: `chunk-` ... `.silt`.
bool IsChunkFileName(std::string_view name);

struct IndexLoadOptions {
  // Passed to every ChunkReader a rebuild opens; its counters (corrupt_chunks, ...) are where a
  // server's metrics see skipped chunks.
  store::ChunkReaderOptions reader;
  // Also compare each chunk file's footer checksum with the one the index recorded (reads the
  // last 96 bytes of every chunk). Without it a chunk file is recognised by name and size, which
  // suffices because chunk files are immutable and never reuse a name.
  bool verify_chunk_footers = false;
  // Write index.silt after a rebuild: when every chunk file could be read (a transient read
  // error is not recorded as damage) and the directory holds a chunk file or an index file.
  bool write_rebuilt_index = true;
};

// Why index.silt was not used.
enum class RebuildReason {
  kNone,        // it was used
  kMissing,     // there is no index.silt
  kUnreadable,  // reading it failed (I/O error)
  kCorrupt,     // it failed a check (checksum, magic, version, invariant)
  kStale,       // it is intact but the chunk files changed since it was written
  kRequested,   // RebuildIndex
};
// "none", "missing", "unreadable", "corrupt", "stale", "requested" (for logs and metric labels).
std::string_view RebuildReasonName(RebuildReason reason);

struct IndexLoadReport {
  std::string partition_dir;
  RebuildReason rebuild_reason = RebuildReason::kNone;
  // What exactly was wrong with index.silt (the decoder's message, or which chunk files changed).
  std::string rebuild_detail;
  size_t chunk_files = 0;     // chunk files in the directory
  size_t chunks_indexed = 0;  // in the returned index
  // Chunk files not indexed: corrupt, misplaced, or unreadable. With a usable index.silt, those
  // it records as skipped.
  size_t chunks_skipped = 0;
  // One line per skipped chunk file: its path and why.
  std::vector<std::string> problems;
  // False when a chunk file could not be read (an I/O error, not damage): the index lacks it,
  // and a caller that must see every chunk (the engine at startup) should fail and retry.
  bool complete = true;
  bool index_written = false;
  // Why a rebuilt index was not written (OK when it was, or when writing was not wanted).
  Status write_status;
};

struct LoadedIndex {
  PartitionIndex index;
  IndexLoadReport report;
};

// Loads the index of `partition_dir` as described above. Errors only when the directory cannot
// be listed (NotFound, IOError) or a chunk file cannot be stat'ed; damage to index.silt or to
// chunk files is reported in the report, not returned.
Result<LoadedIndex> LoadOrRebuild(fs::FileSystem* fs, const std::string& partition_dir,
                                  const IndexLoadOptions& options = {});

// Rebuilds the index of `partition_dir` from its chunk files, ignoring index.silt, and writes it.
// Returns the report; the error of listing the directory or of writing the index (IOError,
// ResourceExhausted), or Unavailable when a chunk file could not be read (not written then: run
// again once the file system recovers).
Result<IndexLoadReport> RebuildIndex(fs::FileSystem* fs, const std::string& partition_dir,
                                     const IndexLoadOptions& options = {});

}  // namespace silt::index
