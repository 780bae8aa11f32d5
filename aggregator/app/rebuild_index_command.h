// RebuildIndexCommand: `silt-aggregator rebuild-index --data-dir D [--tenant T]`, which rebuilds
// every partition's index.silt from its chunk files alone (index::RebuildIndex), whatever the
// current index.silt says, and writes it back. For an operator who suspects an index (a server
// rebuilds a damaged or stale one by itself at start; this is the same, forced and by hand).
//
// It takes the data directory's LOCK, so it refuses a directory a running server uses, naming
// the lock file. It reads only chunk files and writes only index.silt files: the WAL, the chunk
// files and leftover `.tmp` files are not touched. Each partition prints one line to `out`:
//
//   fake/2023111422: 3 chunk files, 3 indexed, 0 skipped
//
// and each chunk file it had to skip (damaged, or of another tenant or partition) one more line,
// indented, with the reason. A partition whose chunk files could not all be read (an I/O error)
// keeps its old index.silt and is counted as failed; the others go on.
//
// Thread-safety: RunRebuildIndex blocks; one call at a time.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

#include "shared/log/logger.h"
#include "shared/status/result.h"

namespace silt::aggregator {

struct RebuildIndexOptions {
  std::string data_dir;
  std::string tenant;  // empty: every tenant
};

struct RebuildIndexReport {
  size_t partitions = 0;         // indexes rebuilt and written
  size_t failed_partitions = 0;  // not rebuilt: a chunk file could not be read, or the write failed
  size_t chunk_files = 0;
  size_t chunks_indexed = 0;
  size_t chunks_skipped = 0;
};

// Rebuilds and prints as above. Errors: NotFound when the data directory (or the --tenant) does
// not exist; InvalidArgument for an invalid tenant id; Unavailable when another process holds the
// directory's lock; IOError when a directory cannot be listed. Partition failures are in the
// report, not returned.
Result<RebuildIndexReport> RunRebuildIndex(const RebuildIndexOptions& options, std::FILE* out,
                                           log::Logger* logger);

}  // namespace silt::aggregator
