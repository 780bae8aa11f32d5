// CPU time of a running process, read from /proc/<pid>/stat (utime + stime of every thread, in
// clock ticks, converted to seconds), and a description of this machine for benchmark reports.
// Stateless functions; thread-safe.
#pragma once

#include <sys/types.h>

#include <string>

#include "shared/status/result.h"

namespace silt::bench {

// user + system CPU seconds `pid` has used so far. NotFound when the process is gone (its stat
// file cannot be read), Corruption when the file does not parse.
Result<double> CpuSeconds(pid_t pid);

// "nproc=2 cpu=\"AMD EPYC\" kernel=6.1.0 ..." plus the file system type of `dir`; for reports.
std::string MachineDescription(const std::string& dir);

}  // namespace silt::bench
