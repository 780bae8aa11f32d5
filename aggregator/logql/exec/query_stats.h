// QueryStats: what one query read and returned, reported as Loki's `stats` object (loki_json.h
// maps each field to Loki's name). Plain data; thread-compatible.
#pragma once

#include <cstdint>

namespace silt::logql::exec {

struct QueryStats {
  uint64_t lines_processed = 0;    // entries read from storage (before the pipeline)
  uint64_t bytes_processed = 0;    // their line bytes plus structured metadata bytes
  uint64_t entries_returned = 0;   // after the pipeline and the limit
  uint64_t streams_selected = 0;   // stored streams the selector matched
  uint64_t chunks_referenced = 0;  // (stream, chunk file) pieces in the range
  uint64_t chunks_read = 0;        // chunk files with at least one block read
  uint64_t blocks_read = 0;
  uint64_t blocks_skipped_by_bloom = 0;
  uint64_t blocks_failed = 0;  // unreadable (corrupt, I/O): their entries are missing
  int64_t exec_time_ns = 0;
  uint64_t peak_memory_bytes = 0;  // most the query held at once (query_memory.h)
};

}  // namespace silt::logql::exec
