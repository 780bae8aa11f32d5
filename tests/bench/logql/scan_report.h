// What the LogQL scan benchmark prints: one table with every contender of every row (count,
// CPU seconds from wait4, GB of raw log per CPU second, wall time, peak RSS, and for Silt the
// query's own CPU and the blocks it read and skipped), each as "median [min-max]" over the
// rounds; then per row the same-round ratios against the peers and the targets met or missed;
// then the machine. GB = 10^9 bytes of raw log text.
//
// Stateless functions; call from one thread (they write to stdout).
#pragma once

#include <vector>

#include "tests/bench/logql/scan_data.h"
#include "tests/bench/logql/scan_rounds.h"

namespace silt::bench {

// Precondition: `results` comes from RunRounds(rows, n) with n >= 1.
void PrintReport(const std::vector<Row>& rows, const std::vector<RowResult>& results,
                 const DataSet& data);

// nproc, the CPU's model name (/proc/cpuinfo) and the load average, on one line.
void PrintMachine(const char* when);

}  // namespace silt::bench
