// SourceMarks: per (tenant, agent, source id) the file offset up to which an agent's lines are
// durably stored: the high-water marks that make redelivery harmless. Before a push is written,
// Admit drops the entries at or below the marks and reserves the ranges it lets through; once the
// WAL record is durable Commit raises the marks (and the reservation ends), or Abort just ends it.
// A push overlapping a reservation of the same source is refused with Unavailable (the agent
// retries after the first write is decided), so two copies of a line are never in flight at once.
// Order: a source whose admitted range failed to be written (Fail: the WAL refused it after
// Admit for lack of space) takes no range starting past the failed one's start until a range
// starting at or before it is admitted (the resend): Admit and CheckOrder refuse them with
// Unavailable. The engine runs Fail from the WAL's AppendHooks::refused and CheckOrder from
// AppendHooks::admit (wal_writer.h), and the WAL fails every record queued behind a refused one,
// so a later range of a source never becomes durable after an earlier one failed: pipelined
// agents cannot push a mark past a gap. Held-back sources live in memory only (a restart starts
// from the marks; nothing queued before it survives unwritten).
// Marks idle longer than the expiry are forgotten (Expire). The marks go into every WAL checkpoint
// (Encode/Decode) and are rebuilt from push records on replay.
// Thread-safety: every method is thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "aggregator/engine/push_request.h"
#include "shared/status/result.h"

namespace silt::engine {

class SourceMarks {
 public:
  struct Key {
    std::string tenant;
    std::string agent_id;
    uint64_t source_id = 0;
    friend auto operator<=>(const Key&, const Key&) = default;
  };
  struct Mark {
    uint64_t end = 0;            // every byte before this offset is stored
    int64_t last_update_ns = 0;  // wall clock of the last Commit that moved or renewed it
  };

  // Removes from `request` every entry of an agent source whose end_offset is at or below the
  // source's mark, and reserves the request's source ranges. Returns the number of entries
  // removed. Unavailable naming the source when one of its ranges overlaps a reservation; the
  // request is then unchanged and nothing is reserved. Requests without agent_id pass untouched.
  Result<size_t> Admit(PushRequest* request);
  // The record for `request` (as admitted) is durable: raise marks to the ranges' ends at wall
  // time `now_ns` and end its reservations.
  void Commit(const PushRequest& request, int64_t now_ns);
  // The record was not written: end the reservations only.
  void Abort(const PushRequest& request);
  // The record was admitted, then refused by the WAL: hold back later ranges of its sources (see
  // "Order" above). Its reservations stay until Abort.
  void Fail(const PushRequest& request);
  // Unavailable naming the source when a range of `request` starts past a failed range of its
  // source that has not been resent; OK otherwise.
  Status CheckOrder(const PushRequest& request) const;
  // Raises marks from a replayed record (no reservation involved).
  void Replay(std::string_view tenant, std::string_view agent_id,
              const std::vector<SourceRange>& ranges, int64_t now_ns);

  // Forgets marks not updated since `now_ns - idle_ns`. Returns how many were dropped.
  size_t Expire(int64_t now_ns, int64_t idle_ns);

  // The mark of a source, 0 when none.
  uint64_t Get(std::string_view tenant, std::string_view agent_id, uint64_t source_id) const;
  size_t size() const;

  // The checkpoint state: version byte, then every mark.
  std::string Encode() const;
  // Replaces all marks with those in `state` (an empty state means none). Corruption saying
  // where when it is malformed; the marks are then unchanged.
  Status Decode(std::string_view state);

 private:
  void RaiseLocked(const Key& key, uint64_t end, int64_t now_ns);
  void AbortLocked(const PushRequest& request);
  Status CheckOrderLocked(const PushRequest& request) const;

  mutable std::mutex mu_;
  std::map<Key, Mark> marks_;
  std::map<Key, std::vector<SourceRange>> in_flight_;
  // Per source with a failed range: later ranges must start at or before this offset.
  std::map<Key, uint64_t> resend_from_;
};

}  // namespace silt::engine
