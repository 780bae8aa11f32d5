// Run: the whole silt-loggen program minus flag parsing — generate entries, encode them, pace
// them, write them to stdout or files — so tests run it in-process against a temp dir and a
// FakeClock. Single-threaded; the environment's objects must outlive the call.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "shared/fs/file_system.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"
#include "tests/bench/loggen/generator.h"
#include "tests/bench/loggen/output_encoder.h"
#include "tests/bench/loggen/output_files.h"

namespace silt::loggen {

struct RunOptions {
  GeneratorOptions generator;
  OutputMode output = OutputMode::kPlain;
  size_t loki_batch = 1000;  // entries per loki-push body
  // Stop after this many entries (0: no limit)...
  uint64_t max_entries = 1000;
  // ...or once this many bytes of plain text (each entry plus '\n') were produced, including
  // the entry that crosses it (0: no limit). Whichever comes first; with neither, run forever.
  uint64_t max_bytes = 0;
  // Entries per second on the monotonic clock; 0 as fast as possible.
  double rate = 0;
  // Where records go: `output_path` if set, else `files` files "<dir>/<file_prefix>-<i>.log"
  // written round-robin (one record at a time: an entry, or a loki-push body), else stdout.
  std::string output_path;
  uint32_t files = 0;
  std::string dir;
  std::string file_prefix = "loggen";
  OutputFilesOptions files_options;
};

// Checks the options that Run would reject, with messages naming the flags.
Status ValidateRunOptions(const RunOptions& options);

struct RunEnvironment {
  fs::FileSystem* fs = nullptr;              // for output files
  fs::WritableFile* stdout_file = nullptr;   // when no file is given
  const time::Clock* clock = nullptr;        // monotonic time for pacing and the elapsed time
  std::function<void(int64_t nanos)> sleep;  // waits for pacing
};

struct RunStats {
  uint64_t entries = 0;
  uint64_t lines = 0;         // physical lines (a stack trace entry counts each of its lines)
  uint64_t raw_bytes = 0;     // entries plus one '\n' each: the size of plain output
  uint64_t output_bytes = 0;  // bytes written in the chosen output mode
  uint64_t rare_entries = 0;  // entries carrying the rare token
  uint64_t rotations = 0;
  int64_t elapsed_ns = 0;
};

// Runs to completion. Errors: InvalidArgument for bad options (see ValidateRunOptions and
// ValidateGeneratorOptions), or the I/O error that stopped the output, naming the path.
Result<RunStats> Run(const RunOptions& options, const RunEnvironment& env);

// One logfmt line for --stats: entries, lines, bytes, elapsed seconds, MB/s (10^6 bytes),
// entries/s, average entry size, rare entries, rotations.
std::string FormatRunStats(const RunStats& stats);

}  // namespace silt::loggen
