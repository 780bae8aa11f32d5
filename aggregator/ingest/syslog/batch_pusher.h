// BatchPusher: hands SyslogBatches of one connection (or of the UDP socket) to the storage engine
// in order and keeps count of what is still pending, so the owner can apply backpressure.
//
//   Push OK                  the batch is in flight until the engine's callback (posted back to
//                            the loop through the mailbox) reports it durable or failed
//   ResourceExhausted        with `retry_when_exhausted` (TCP): kept and retried after
//                            retry_interval, later batches wait behind it; without (UDP): dropped
//   any other refusal        dropped, logged and counted (silt_syslog_entries_total{dropped})
//
// `on_progress` runs on the loop after each completion and after each retry attempt, so the
// owner can resume reading or finish a drain.
// Lifetime: held by shared_ptr; engine callbacks hold weak pointers, so an outcome arriving after
// the pusher is gone is dropped. Destroying it cancels the retry timer; batches still queued are
// then lost (shutdown after the drain timeout only).
// Thread-safety: loop thread only.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/ingest/syslog/syslog_batch.h"
#include "aggregator/ingest/syslog/syslog_env.h"
#include "shared/time/timer_service.h"

namespace silt::ingest {

class BatchPusher : public std::enable_shared_from_this<BatchPusher> {
 public:
  // `env` must outlive the pusher. `transport` is "tcp" or "udp" (metrics, logs).
  BatchPusher(const SyslogEnv* env, std::string transport, bool retry_when_exhausted);
  ~BatchPusher();
  BatchPusher(const BatchPusher&) = delete;
  BatchPusher& operator=(const BatchPusher&) = delete;

  void set_on_progress(std::function<void()> on_progress) { on_progress_ = std::move(on_progress); }
  // Queues `batch` (no-op when empty) and pushes what the engine takes now. Does not call
  // on_progress. Must be held by a shared_ptr.
  void Submit(SyslogBatch batch);

  // Bytes of batches queued or in flight.
  size_t pending_bytes() const { return queued_bytes_ + in_flight_bytes_; }
  // Nothing queued and nothing in flight.
  bool idle() const { return queue_.empty() && in_flight_ == 0; }
  // A refused batch waits for its retry timer.
  bool retrying() const { return retry_timer_ != time::TimerService::kInvalidTimerId; }

 private:
  void TrySend();
  void OnDone(size_t bytes, size_t entries, const Status& status,
              const engine::PushOutcome& outcome);

  const SyslogEnv* const env_;
  const std::string transport_;
  const bool retry_when_exhausted_;
  log::ComponentLogger log_;
  std::deque<SyslogBatch> queue_;
  size_t queued_bytes_ = 0;
  size_t in_flight_ = 0;
  size_t in_flight_bytes_ = 0;
  bool warned_exhausted_ = false;
  time::TimerService::TimerId retry_timer_ = time::TimerService::kInvalidTimerId;
  std::function<void()> on_progress_;
};

}  // namespace silt::ingest
