// SiltRunner: runs the real `silt` binary for the CLI's end-to-end tests, with stdout and stderr
// in separate files (golden outputs compare stdout alone) and an environment the test controls
// (SILT_ADDR and friends are cleared unless given). A started process can be signalled (Ctrl-C
// is SIGINT) and waited for with a deadline. Nothing here sleeps for synchronisation.
// Thread-compatible: one test thread.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace silt::testing {

struct SiltRun {
  int exit_code = -1;  // 128 + signal when killed by one, -1 when it did not finish in time
  std::string out;
  std::string err;
};

class SiltProcess {
 public:
  SiltProcess() = default;
  ~SiltProcess();
  SiltProcess(const SiltProcess&) = delete;
  SiltProcess& operator=(const SiltProcess&) = delete;

  // Starts `silt` with `args` and `env` (added to a copy of this process's environment without
  // its SILT_* and NO_COLOR variables), stdout to `out_path`, stderr to `err_path`.
  bool Start(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
             const std::string& out_path, const std::string& err_path);
  void Signal(int signal_number);
  // Waits up to `timeout_ms` for the exit; returns its code (see SiltRun), killing it on timeout.
  int Wait(int timeout_ms);

 private:
  pid_t pid_ = -1;
};

// Runs `silt` to its end (at most `timeout_ms`) in `dir` (for its output files).
SiltRun RunSilt(const std::string& dir, const std::vector<std::string>& args,
                const std::map<std::string, std::string>& env, int timeout_ms = 120000);

std::string ReadFile(const std::string& path);

}  // namespace silt::testing
