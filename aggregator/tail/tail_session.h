// TailSession: one client of /loki/api/v1/tail. It receives every push of its tenant from the
// engine's LiveFeed, keeps the entries of streams matching the query's selector that pass the
// query's pipeline (logql::Pipeline, the same code the log-query executor runs: filters,
// parsers, label filters, line_format...), holds them `delay_for` after their arrival and then
// sends them sorted by timestamp as one Loki tail message. Entries the client was too slow to
// take (the WebSocket's send buffer was full, or the feed's queue overflowed) are reported in
// the next message's dropped_entries.
//
// Before Start, entries are only collected: the handler subscribes first, then reads the
// backfill, so nothing pushed in between is lost; entries the backfill already holds are not
// sent twice.
//
// Thread-safety: OnDelivery (feed thread), Start, Flush and MarkClosed (any thread) serialise on
// a mutex. The socket is only given frames, never waited on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "aggregator/engine/live_feed.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/tail/tail_message.h"
#include "aggregator/tail/tail_request.h"
#include "shared/http/websocket.h"

namespace silt::tail {

struct TailSessionStats {
  uint64_t entries_sent = 0;
  uint64_t entries_dropped = 0;  // reported to the client as dropped
};

class TailSession {
 public:
  // `max_reported_drops`: most dropped entries listed in one message (the rest are counted).
  TailSession(TailRequest request, size_t max_reported_drops);

  const TailRequest& request() const { return request_; }

  // Feed thread: filters and evaluates `delivery` at monotonic time `now_ns`; with delay_for 0
  // and a started session, sends at once.
  void OnDelivery(const engine::LiveDelivery& delivery, int64_t now_ns);
  // Sends `backfill` (sorted by timestamp) as the first message and starts releasing live
  // entries through `socket`.
  void Start(std::shared_ptr<http::WebSocket> socket, std::vector<TailEntry> backfill,
             int64_t now_ns);
  // Sends what has been held delay_for by `now_ns` (and pending drop reports). Returns false
  // once the session is over (the socket closed).
  bool Flush(int64_t now_ns);
  // The client is gone: no more sends.
  void MarkClosed();
  // Closes the socket with `code` (server shutdown) unless it is already closed.
  void Close(uint16_t code, std::string_view reason);
  bool closed() const;
  TailSessionStats stats() const;

 private:
  struct Held {
    int64_t arrival_ns;
    TailEntry entry;
  };

  void Evaluate(const engine::LiveStream& stream, int64_t now_ns);
  void AddDrop(const labels::LabelSet& labels, int64_t timestamp);
  bool FlushLocked(int64_t now_ns);

  const TailRequest request_;
  const size_t max_reported_drops_;
  mutable std::mutex mu_;
  // Per input stream, its pipeline (a StreamPipeline caches per-stream work); guarded by mu_.
  std::map<labels::LabelSet, std::unique_ptr<logql::StreamPipeline>> pipelines_;
  std::vector<Held> held_;                   // in arrival order; guarded by mu_
  std::vector<TailDrop> drops_;              // not yet reported; guarded by mu_
  uint64_t unlisted_drops_ = 0;              // dropped beyond max_reported_drops_; guarded by mu_
  std::shared_ptr<http::WebSocket> socket_;  // guarded by mu_; null before Start
  bool closed_ = false;                      // guarded by mu_
  TailSessionStats stats_;                   // guarded by mu_
};

}  // namespace silt::tail
