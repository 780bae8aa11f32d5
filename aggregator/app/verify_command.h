// VerifyCommand: `silt-aggregator verify --data-dir D [--tenant T]`, which reads everything a data
// directory holds and checks it without changing anything (an operator's fsck, e.g. after a disk
// incident or before a backup is trusted):
//
//   - every chunk file: footer, header and directory (ChunkReader::Open), then every block
//     (checksum, decompression, entries) and every bloom filter (checksum, structure);
//   - every partition's index.silt: intact and current, as the server's start would judge it
//     (index::LoadOrRebuild without writing), else the reason the server would rebuild it;
//   - the WAL (all of it, or skipped with --tenant, since records mix tenants): every segment
//     header and record checksum (wal::SegmentReader), damage listed as recovery would classify
//     it.
//
// Output on `out`: one line per partition and per WAL segment, one more per problem (indented),
// then a total. It takes the data directory's LOCK, so it refuses a directory a running server
// uses. Thread-safety: RunVerify blocks; one call at a time.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

#include "shared/log/logger.h"
#include "shared/status/result.h"

namespace silt::aggregator {

struct VerifyOptions {
  std::string data_dir;
  std::string tenant;  // empty: every tenant, and the WAL
};

struct VerifyReport {
  size_t partitions = 0;
  size_t chunk_files = 0;
  size_t blocks = 0;
  uint64_t entries = 0;
  size_t wal_segments = 0;
  uint64_t wal_records = 0;
  // Problems found: damaged chunk files, blocks and blooms, WAL damage (a torn tail of the newest
  // segment included), and indexes the server would rebuild.
  size_t problems = 0;
};

// Verifies and prints as above. Errors (not problems): NotFound when the directory or tenant does
// not exist, InvalidArgument for an invalid tenant id, Unavailable when it is locked, IOError when
// a file cannot be read.
Result<VerifyReport> RunVerify(const VerifyOptions& options, std::FILE* out, log::Logger* logger);

}  // namespace silt::aggregator
