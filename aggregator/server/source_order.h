// SourceOrder: one agent connection's per-source refusal memory, which lets an agent keep several
// batches of one source in flight (Welcome.ordered_sources; docs/formats/frame.md, "Per-source
// order") without breaking exactly-once.
//
// Why: the redelivery marks (aggregator/engine/source_marks.h) are high-water marks per (tenant,
// agent, source). If batch 1 of source S were refused (Nack) and batch 2 of S, sent right behind
// it, were stored, the mark would pass batch 1's range and its resend would be dropped as a
// repeat. The rule: once the session refuses a batch, every later batch touching one of its
// sources is refused too (Nack out_of_order) until a batch of that source starting at or before
// the refused range's start is taken again (the resend, or the first half of a split). The agent
// resends in order (agent/ship/send_window.h), so the resend comes before the later batches.
//
// One exception keeps shipping going: a batch of a single entry refused for good (too_large,
// malformed) is dropped by the agent (agent/ship/shipper_sink.h), so the source may then resume
// at that entry's end.
//
// Thread-safety: a value type for one thread (the session's loop thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "protocol/messages.h"

namespace silt::server {

class SourceOrder {
 public:
  // A batch's byte range of one source, as the engine takes it.
  using Range = engine::SourceRange;
  // A source that holds a batch back: the batch's range starts at `start`, past `resume_at`.
  struct Blocked {
    uint64_t source_id = 0;
    uint64_t start = 0;
    uint64_t resume_at = 0;
  };

  // The source ranges of `batch` (a verified frame), in its order.
  static std::vector<Range> RangesOf(const protocol::fb::Batch& batch);
  // The entries of `batch` over all its streams.
  static size_t EntriesOf(const protocol::fb::Batch& batch);

  // The first of `ranges` whose source had a batch refused and not taken again since, when this
  // range starts past it; nullopt when the batch may be taken.
  std::optional<Blocked> Check(std::span<const Range> ranges) const;
  // A batch with these ranges was refused. `dropped_for_good`: it held one entry and was refused
  // as too_large or malformed, so the agent skips it and its source may resume at its end. A
  // range that Check let through becomes its source's new resume point (its start, or its end
  // when dropped for good); one Check held back leaves the earlier refusal in force.
  void Refused(std::span<const Range> ranges, bool dropped_for_good);
  // A batch with these ranges was handed to storage: the sources it resends are free again.
  // Precondition: Check(ranges) was nullopt.
  void Taken(std::span<const Range> ranges);

  // Sources currently held back.
  size_t blocked_sources() const { return resume_at_.size(); }

 private:
  // Per held-back source: a batch of it must start at or before this offset.
  std::map<uint64_t, uint64_t> resume_at_;
};

}  // namespace silt::server
