// TailHandler: Loki's GET /loki/api/v1/tail. A request is checked (tail_request.h; a bad one gets
// HTTP 400 before any upgrade), subscribed to the storage engine's LiveFeed for its tenant, and
// handed to the handler's worker thread, which reads the backfill (up to `limit` entries since
// `start`, with the log-query executor, newest first as Loki does, sent oldest first), accepts
// the WebSocket and sends the backfill; from then on the worker releases each session's live
// entries every flush_interval (after delay_for) and drops sessions whose client left.
//
//   tail::TailHandler tails(engine.get(), options);
//   SILT_RETURN_IF_ERROR(tail::AddTailRoutes(&router, &tails));
//   ...  // before the engine closes:
//   tails.Shutdown();
//
// Limits: at most max_tails at once (more get 429, as Loki's max_concurrent_tail_requests);
// per tail at most max_queued_entries waiting in the feed and max_send_buffer_bytes of frames
// waiting for the client; beyond either, entries are dropped and reported in dropped_entries.
//
// Thread-safety: Handle runs on the HTTP loop thread and returns at once; the rest is
// thread-safe. Shutdown must run before the engine is closed; the handler must outlive the
// router that calls it (or the server must be shut down first).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/tail/tail_request.h"
#include "aggregator/tail/tail_session.h"
#include "shared/http/request.h"
#include "shared/http/responder.h"
#include "shared/http/router.h"
#include "shared/log/logger.h"
#include "shared/time/clock.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::tail {

struct TailOptions {
  const time::Clock* clock = nullptr;  // required; wall time for `start`, monotonic for delays
  log::Logger* logger = nullptr;       // optional
  // Most tails at once; more are refused with 429.
  size_t max_tails = 100;
  // The default and largest `limit` and the largest `delay_for` a client may ask for.
  TailLimits limits;
  // The backfill query's timeout (0: none) and memory budget.
  int64_t query_timeout_ns = 5 * time::kMinute;
  int64_t max_query_memory_bytes = 512 * units::kMiB;
  // Per tail: entries waiting in the engine's live feed, and encoded bytes waiting for the client.
  size_t max_queued_entries = 10'000;
  size_t max_send_buffer_bytes = 4 * units::kMiB;
  // Dropped entries listed in one message (more are only lost).
  size_t max_reported_drops = 1'000;
  // How often held entries are released.
  int64_t flush_interval_ns = 100 * time::kMillisecond;
  // WebSocket liveness (http::WebSocketOptions).
  int64_t ping_interval_ns = 30 * time::kSecond;
  int64_t idle_timeout_ns = 90 * time::kSecond;
};

class TailHandler {
 public:
  // `engine` must outlive the handler (or its Shutdown).
  TailHandler(engine::StorageEngine* engine, TailOptions options);
  // Shutdown().
  ~TailHandler();
  TailHandler(const TailHandler&) = delete;
  TailHandler& operator=(const TailHandler&) = delete;

  // The route handler (HTTP loop thread).
  void Handle(http::Request request, http::Responder responder);

  // Closes every tail with 1001, answers tails still starting with 503, unsubscribes from the
  // engine and stops the worker. Idempotent.
  void Shutdown();

  // Tails started or starting.
  size_t active_tails() const { return active_.load(std::memory_order_acquire); }
  // Entries reported as dropped to clients of finished tails and live ones, so far.
  uint64_t dropped_entries() const;

 private:
  struct Pending {
    http::Request request;
    http::Responder responder;
    std::shared_ptr<TailSession> session;
    uint64_t subscription = 0;
  };
  struct Live {
    std::shared_ptr<TailSession> session;
    uint64_t subscription = 0;
  };

  void WorkerLoop();
  void StartTail(Pending pending);
  Result<std::vector<TailEntry>> Backfill(const TailRequest& request) const;
  // Flushes every live session and ends those whose client is gone.
  void FlushAll();
  void End(const Live& live);

  engine::StorageEngine* engine_;
  const TailOptions options_;
  std::atomic<size_t> active_{0};
  std::atomic<uint64_t> dropped_finished_{0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Pending> pending_;  // guarded by mu_
  std::vector<Live> live_;       // guarded by mu_ (changed by the worker only)
  bool stopping_ = false;        // guarded by mu_
  std::thread worker_;
};

// Registers GET /loki/api/v1/tail on `router` for `handler` (which must outlive the router).
Status AddTailRoutes(http::Router* router, TailHandler* handler);

}  // namespace silt::tail
