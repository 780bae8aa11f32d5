// MultilineJoiner: a BatchSink between the TailerSet and the real sink that joins continuation
// lines to the line that starts their entry, for the watched paths that have a MultilineRule.
// Other paths' chunks pass through untouched.
//
// Positions stay exact. A joined entry is one Line whose text is its lines joined with '\n' and
// whose range covers all of them (start of the first, end of the last). Per source, the chunks
// handed downstream cover the source's bytes without gaps or overlap, but only up to the start of
// the entry still being assembled: those bytes are held back, so the downstream sink cannot
// confirm them, and after a restart they are read again and joined as if nothing had happened.
// A held entry goes downstream when a start line follows it, when it reaches max_lines, when its
// last line was the final unterminated line of a rotated file, or when no line has come for the
// rule's flush_timeout (a TimerService timer; the timer's batch also covers any skipped bytes
// read after the entry).
//
// Thread-safety: not thread-safe; one loop thread calls Deliver and runs the timers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>

#include "agent/multiline/multiline_rule.h"
#include "agent/tailer/batch.h"
#include "shared/time/timer_service.h"

namespace silt::agent {

struct MultilineStats {
  uint64_t entries = 0;            // entries emitted from paths with a rule
  uint64_t joined_lines = 0;       // continuation lines joined to an entry
  uint64_t timeout_flushes = 0;    // entries emitted by the flush timeout
  uint64_t max_lines_flushes = 0;  // entries cut at max_lines
  uint64_t held_entries = 0;       // gauge: entries being assembled
};

class MultilineJoiner final : public BatchSink {
 public:
  // The rule for a watched path, or nullptr for no joining. Called once per path; the rule must
  // outlive the joiner.
  using RuleLookup = std::function<const MultilineRule*(const std::string& path)>;

  // `downstream` and `timers` must outlive the joiner.
  MultilineJoiner(BatchSink* downstream, time::TimerService* timers, RuleLookup lookup);
  ~MultilineJoiner() override;
  MultilineJoiner(const MultilineJoiner&) = delete;
  MultilineJoiner& operator=(const MultilineJoiner&) = delete;

  void Deliver(Batch batch) override;
  // Sends every held entry downstream now.
  void FlushAll();

  MultilineStats stats() const;

 private:
  // The entry being assembled for one source, and the bytes held back with it.
  struct Held {
    std::string path;
    const MultilineRule* rule = nullptr;
    uint64_t out_start = 0;  // first byte not yet handed downstream
    uint64_t in_end = 0;     // end of the source's bytes seen so far
    Line entry;              // text joined so far; start/end offsets of its lines
    size_t lines = 0;
    time::TimerService::TimerId timer = time::TimerService::kInvalidTimerId;
  };

  const MultilineRule* RuleFor(const std::string& path);
  // Joins `chunk`'s lines and appends what is complete to *out.
  void Join(SourceChunk chunk, const MultilineRule& rule, Batch* out);
  // Adds `line` to held's entry (starting one if there is none); emits the entry into *emitted
  // when it reached max_lines or the line was a file's unterminated last.
  void Add(Held& held, Line line, SourceChunk* emitted);
  // Moves held's entry into *chunk as one line.
  void Emit(Held& held, SourceChunk* chunk);
  void ArmTimer(uint64_t source_id, Held& held);
  void OnTimeout(uint64_t source_id);
  void Send(Batch batch);

  BatchSink* const downstream_;
  time::TimerService* const timers_;
  RuleLookup lookup_;
  std::unordered_map<std::string, const MultilineRule*> rules_;
  std::map<uint64_t, Held> held_;
  MultilineStats stats_;
};

}  // namespace silt::agent
