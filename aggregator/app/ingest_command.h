// IngestCommand: `silt-aggregator ingest --data-dir D [--tenant fake] [--batch-entries N]
// [--flush] < push.json`, which stores a Loki JSON push body
// (aggregator/ingest/push/loki_json_decoder.h) in a data directory without a running server: for
// loading fixtures, replaying exports, and end-to-end tests of `query`. Streams are pushed with
// StorageEngine::PushSync in batches of whole streams (at least --batch-entries entries each,
// default 1000); a batch the engine refuses as invalid is retried stream by stream so one bad
// stream does not cost the others. With --flush the head is written to chunk files before exit
// (otherwise the entries stay in the WAL, which the next open replays). The directory's LOCK
// refuses a directory a running server uses.
//
// Output (stdout), one line:
//   ingest: 2 streams, 120 entries accepted, 0 rejected, 1 streams skipped
// then, on stderr, one line per problem (bad stream with its position, rejected entries).
// Thread-safety: RunIngest blocks; one call at a time.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>

#include "shared/log/logger.h"
#include "shared/status/result.h"

namespace silt::aggregator {

struct IngestOptions {
  std::string data_dir;
  std::string tenant = "fake";
  size_t batch_entries = 1000;
  bool flush = false;
};

struct IngestReport {
  size_t streams = 0;          // pushed
  size_t accepted = 0;         // entries stored
  size_t rejected = 0;         // entries the engine refused (too old, too large)
  size_t skipped_streams = 0;  // bad input, never pushed
  size_t problems = 0;         // lines written to `err`
};

// Reads `input`, stores what is valid, writes the summary to `out` and problems to `err`.
// Errors (nothing or only part stored): InvalidArgument for a bad tenant or option; Unavailable
// for a locked directory; the engine's error when a push or the flush fails.
Result<IngestReport> RunIngest(const IngestOptions& options, std::string_view input, std::FILE* out,
                               std::FILE* err, log::Logger* logger);

}  // namespace silt::aggregator
