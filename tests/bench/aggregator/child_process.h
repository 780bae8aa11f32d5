// Child processes for benchmarks that compare contenders by CPU time and peak RSS: each contender
// runs in a process of its own, so the rusage that wait4 reports for it is exactly its cost and
// no contender's memory shows in another's peak RSS. RunInChild forks and runs a function in the
// child (which may start threads); RunCommand spawns a program such as `lz4`.
//
// Thread-safety: call from a single-threaded process (RunInChild forks; a child of a process with
// other threads could inherit a lock held by one of them).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "shared/status/result.h"

namespace silt::bench {

// What one child cost, from its start to its exit.
struct ChildUsage {
  double wall_s = 0;  // fork or spawn to reaped
  double user_s = 0;  // every thread of the child
  double sys_s = 0;
  int64_t max_rss_kib = 0;  // peak resident set (ru_maxrss)
  double cpu_s() const { return user_s + sys_s; }
};

// Runs `argv` (argv[0] is looked up in PATH) with stdin from /dev/null and stdout written to
// `stdout_path` (created or truncated; "/dev/null" is fine), and waits for it. IOError naming the
// command when it cannot be started, is killed by a signal or exits with a non-zero status.
Result<ChildUsage> RunCommand(const std::vector<std::string>& argv, const std::string& stdout_path);

struct ChildOutput {
  std::string message;  // what the child's body returned
  ChildUsage usage;
};

// Forks; the child runs `body` and sends back the bytes it returns (any size) or its error, then
// exits without running destructors or atexit handlers. The child's error comes back with its
// code and message; IOError when fork or the pipe fails, or when the child dies before finishing
// (e.g. by a signal), naming `what`.
Result<ChildOutput> RunInChild(const std::string& what,
                               const std::function<Result<std::string>()>& body);

}  // namespace silt::bench
