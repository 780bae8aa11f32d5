// EventLogger: writes the TailerSet's events (rotations, truncations, copies, abandoned files,
// errors) to the agent's log, one line each, with the watched path, the source id and the
// tailer's sentence saying what happens next. Errors repeat while their cause lasts (every rescan
// of an unreadable file fails again), so an error is logged when it first appears for a path and
// again only when its message changes; a later success-type event for the path re-arms it.
//
// Levels: opened/resumed/closed are info, rotations/truncations/copies/found rotated are info,
// abandoned files are warn (bytes were dropped), errors are error.
//
// Thread-safety: not thread-safe; the loop thread calls Log.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "agent/tailer/tailer_set.h"
#include "shared/log/logger.h"

namespace silt::agent {

class EventLogger {
 public:
  // `logger` must outlive the object.
  explicit EventLogger(log::Logger* logger) : log_(logger, "tailer") {}

  void Log(const std::vector<TailerEvent>& events);

  // Errors suppressed as repeats so far.
  uint64_t suppressed() const { return suppressed_; }

 private:
  log::ComponentLogger log_;
  std::map<std::string, std::string> last_error_;  // by watched path
  uint64_t suppressed_ = 0;
};

// The event kind's name as logged ("rotated", "truncated", ...).
const char* EventKindName(TailerEvent::Kind kind);

}  // namespace silt::agent
