// DumpCommand: `silt-aggregator dump`, which prints what a data directory holds as JSON lines,
// one object per entry, for operators and end-to-end tests:
//
//   {"tenant":"fake","labels":"{job=\"api\"}","ts":"1700000000000000000","line":"GET /"}
//
// (labels in their canonical text form, ts as a decimal string of ns since the epoch, the line
// escaped by json::AppendJsonString; structured metadata, when present, as "metadata":
// {"name":"value",...}). Output is sorted by tenant, then stream (labels), then time. The engine
// is opened on the directory (chunk files plus a WAL replay, without the flusher), so entries
// acknowledged but not yet flushed are shown too; the directory's lock makes a dump against a
// running server's directory fail with a message naming the directory and the server's pid.
//
// Thread-safety: Run() blocks; one call at a time.
#pragma once

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "shared/log/logger.h"
#include "shared/status/status.h"

namespace silt::aggregator {

struct DumpOptions {
  std::string data_dir;
  std::string tenant;  // empty: every tenant
  int64_t since = std::numeric_limits<int64_t>::min();  // inclusive
  int64_t until = std::numeric_limits<int64_t>::max();  // exclusive
  std::string selector;  // empty: every stream; else `{a="b", ...}` (equality only)
};

// Writes the entries to `out`. OK, or the error that stopped it (InvalidArgument for a bad
// selector or tenant; Unavailable when the directory is locked by another process; NotFound when
// it does not exist).
Status RunDump(const DumpOptions& options, std::FILE* out, log::Logger* logger);

}  // namespace silt::aggregator
