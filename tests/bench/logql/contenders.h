// The contenders of the LogQL scan benchmark, each run in a process of its own so that its CPU
// time (user + sys, every thread and every process of a pipeline) and peak RSS come from wait4
// and are its alone:
//   grep      `grep -F -c -- LITERAL raw.log`
//   lz4|grep  `lz4 -dc raw.log.lz4 | grep -F -c -- LITERAL`
//   silt      a forked child running one SiltQuery (silt_query.h) on the data directory
//   floor     a forked child that reads every block of the data directory's chunk files and
//             decompresses it, nothing else (no checksum, entry parsing, search or index): the
//             least any scan of Silt's stored blocks can cost. Its count is the blocks read.
// Both peers run under `sh -c` (a shell costs ~1 ms) so that grep's exit status 1, "no line
// matched", counts as success; their count is read from their stdout.
//
// Thread-safety: call Run from a single-threaded process (it forks).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "shared/status/result.h"
#include "tests/bench/aggregator/child_process.h"
#include "tests/bench/logql/silt_query.h"

namespace silt::bench {

// One run of one contender.
struct Measurement {
  ChildUsage usage;  // from wait4: the whole process (for silt: opening the engine included)
  uint64_t count = 0;
  bool is_silt = false;
  SiltFigures silt;  // when is_silt
};

struct Contender {
  std::string name;     // as printed
  std::string command;  // what it runs, for the report
  std::function<Result<Measurement>()> run;
  // False for a contender whose count is not a number of matching lines (the floor counts
  // blocks): the rounds do not compare it with the others'.
  bool counts_matches = true;
};

// `scratch_dir` receives the peers' stdout (count.txt). IOError naming the command when it
// cannot run or prints something that is not a count.
Contender GrepContender(const std::string& raw_path, const std::string& literal,
                        const std::string& scratch_dir);
Contender Lz4GrepContender(const std::string& lz4_path, const std::string& literal,
                           const std::string& scratch_dir);
Contender SiltContender(const std::string& name, const std::string& data_dir,
                        const SiltQuery& query);
Contender DecompressionFloorContender(const std::string& data_dir);

}  // namespace silt::bench
