// ChildProcess: one real program started by a test (silt-aggregator, silt-agent), its stderr and
// stdout appended to a log file, stopped with SIGTERM (graceful) or SIGKILL (a crash).
// Not thread-safe; one test thread drives it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace silt::testing {

class ChildProcess {
 public:
  ChildProcess() = default;
  ~ChildProcess() { Kill(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Starts argv[0] (an absolute path) with output appended to `log_path`. False when the program
  // could not be started (the reason is in the log).
  bool Start(const std::vector<std::string>& argv, const std::string& log_path);
  // SIGTERM, then waits up to `timeout_ms`; returns the exit code (128 + signal when killed by
  // one), or -1 when it did not exit in time (it is then SIGKILLed).
  int Terminate(int timeout_ms = 20000);
  // SIGKILL and reap; a no-op when not running.
  void Kill();
  // Sends a signal without waiting (SIGHUP, SIGSTOP, SIGCONT).
  void Signal(int signal_number);
  // False once the process has exited (reaps it then).
  bool Running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace silt::testing
