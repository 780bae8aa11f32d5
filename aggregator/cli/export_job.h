// ExportJob: `silt export` (docs/cli.md "export"). Streams every entry of a LogQL log query in
// [from, to) as jsonl (EntryPrinter's shape, oldest first) into a zstd file, resumably:
//
//   <out>.manifest       the export's query, range and part length; a rerun with other flags is
//                        refused instead of mixing two exports
//   <out>.partNNNN       one complete zstd frame per part of --part length (0000 first), written
//                        as <out>.partNNNN.tmp, fsync'd and renamed, so a part that exists is whole
//   <out>                the parts concatenated (zstd frames concatenate: `zstd -d` reads the
//                        whole file), written as <out>.tmp and renamed; then parts and manifest
//                        are removed
//
// A rerun after a crash or Ctrl-C skips the parts that exist and says so on stderr. Within a part
// entries are read in batches by BatchCursor, so nothing is lost or repeated at batch boundaries;
// parts do not overlap (each is [start, end)). Progress (lines, compressed bytes, lines/s) is
// drawn on stderr when it is a terminal.
//
// Thread-compatible: one thread runs a job.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "aggregator/cli/http_client.h"
#include "aggregator/cli/time_range.h"
#include "shared/status/status.h"

namespace silt::cli {

struct ExportOptions {
  std::string query;
  TimeRange range;
  int64_t part_ns = 3600LL * 1'000'000'000;  // --part, default 1h
  int64_t batch = 5000;
  std::string output;     // -o, e.g. logs.jsonl.zst
  int zstd_level = 3;     // --level
  bool progress = false;  // draw progress on stderr
};

class ExportJob {
 public:
  // `client` must outlive the job.
  ExportJob(HttpClient* client, ExportOptions options);

  // Checks that the export can start or resume: InvalidArgument when <out> exists or
  // <out>.manifest belongs to another export; writes the manifest when there is none.
  Status Prepare();
  // Runs the export to its end (after Prepare). IOError naming the file for a failed write,
  // InvalidArgument for a metric query, the client's errors otherwise. After a failure the
  // finished parts stay for the rerun.
  Status Run();

  int64_t lines() const { return lines_; }
  int64_t parts_skipped() const { return parts_skipped_; }

 private:
  std::string PartPath(int64_t index) const;
  std::string ManifestText() const;
  Status CheckManifest();
  Status ExportPart(int64_t index, int64_t count);
  Status JoinParts(int64_t count);
  void DrawProgress(int64_t index, int64_t count, bool final);

  HttpClient* client_;
  ExportOptions options_;
  int64_t lines_ = 0;
  int64_t bytes_ = 0;
  int64_t parts_skipped_ = 0;
  int64_t started_ns_ = 0;
  int64_t last_draw_ns_ = 0;
};

}  // namespace silt::cli
