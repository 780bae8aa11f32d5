// AgentSession: the aggregator's side of one agent connection (docs/formats/frame.md, the
// session rules in protocol/silt.fbs). Frames are cut and verified by a FrameDecoder with the
// configured limits; then
//
//   Hello     -> tenant (TenantAuth) -> Welcome with the session limits, or Nack
//                (unauthenticated | unsupported_version | malformed) + Goodbye + close
//   Batch     -> BatchRequest -> push (StorageEngine::Push) -> Ack once the WAL record is synced
//                (the engine's callback runs on its WAL thread and is posted back to the loop
//                through the CompletionMailbox); a refused push is a Nack (nack_policy.h);
//                entries refused one by one (too old) are counted and the batch is still acked
//                A batch touching a source whose earlier batch was refused on this connection
//                is refused too (Nack out_of_order) until that one is sent again
//                (source_order.h); the Welcome announces this as ordered_sources, so agents may
//                keep several batches of one source in flight
//   Heartbeat -> the reply
//   Goodbye   -> the connection is ended
//
// A malformed frame (or a frame the session does not expect) gets Nack(malformed, or too_large
// for a frame over the limits), Goodbye and a close, with the reason logged; never a crash.
// Reading pauses while the un-acked batches' wire bytes exceed max_unacked_bytes. A session
// silent for idle_timeout gets Goodbye("idle timeout") and is closed. Drain() (shutdown) stops
// reading, waits for the batches in flight to be answered, then sends Goodbye with
// reconnect_after_ms and ends the stream.
//
// Lifetime: owned by shared_ptr (the AgentListener's); push callbacks hold weak pointers, so an
// outcome arriving after the session is gone is dropped. When the stream has closed,
// `SessionEnv::on_closed` is called once and may destroy the session.
// Thread-safety: loop thread only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/server/batch_request.h"
#include "aggregator/server/completion_mailbox.h"
#include "aggregator/server/server_metrics.h"
#include "aggregator/server/session_options.h"
#include "aggregator/server/source_order.h"
#include "aggregator/server/tenant_auth.h"
#include "protocol/frame_decoder.h"
#include "protocol/messages.h"
#include "shared/log/logger.h"
#include "shared/net/byte_stream.h"
#include "shared/time/clock.h"
#include "shared/time/timer_service.h"

namespace silt::server {

class AgentSession;

// Hands a request to storage; the contract of StorageEngine::Push.
using PushFn = std::function<Status(engine::PushRequest, engine::PushCallback)>;

// What every session of a listener shares; everything must outlive the sessions.
struct SessionEnv {
  const SessionOptions* options = nullptr;
  const TenantAuth* auth = nullptr;
  PushFn push;
  std::shared_ptr<CompletionMailbox> mailbox;
  time::TimerService* timers = nullptr;
  const time::Clock* clock = nullptr;
  const AgentServerMetrics* metrics = nullptr;
  log::Logger* logger = nullptr;
  // Called once when the session's stream has closed; may destroy the session.
  std::function<void(AgentSession*)> on_closed;
};

class AgentSession final : public net::StreamHandler,
                           public std::enable_shared_from_this<AgentSession> {
 public:
  enum class State { kAwaitHello, kReady, kEnding, kClosed };

  // `env` must outlive the session. Call Start() once the session is held by a shared_ptr.
  AgentSession(uint64_t id, std::unique_ptr<net::ByteStream> stream, const SessionEnv* env);
  ~AgentSession() override;
  AgentSession(const AgentSession&) = delete;
  AgentSession& operator=(const AgentSession&) = delete;

  // Attaches to the stream and starts the idle timer.
  void Start();
  // Stops taking batches; once every batch in flight is answered, sends Goodbye with
  // `reconnect_after_ms` and ends the stream. Idempotent.
  void Drain(uint32_t reconnect_after_ms);
  // Closes at once, dropping queued bytes (drain deadline).
  void Abort();

  uint64_t id() const { return id_; }
  State state() const { return state_; }
  const std::string& tenant() const { return tenant_; }
  const std::string& agent_id() const { return agent_id_; }
  size_t inflight_batches() const { return inflight_.size(); }
  // Sources whose later batches are refused until a refused one is sent again.
  size_t blocked_sources() const { return order_.blocked_sources(); }

  void OnData(std::string_view bytes) override;
  void OnClosed(const Status& why) override;

 private:
  struct Inflight {
    size_t wire_bytes = 0;
    size_t entries = 0;
    std::vector<SourceOrder::Range> ranges;
  };

  void HandleFrame(const protocol::Frame& frame);
  void HandleHello(const protocol::fb::Hello& hello);
  void HandleBatch(const protocol::Frame& frame, const protocol::fb::Batch& batch);
  // Hands a built batch to storage; its sources count as resent (SourceOrder::Taken).
  void Push(uint64_t batch_id, size_t wire_bytes, BatchRequest* request,
            std::vector<SourceOrder::Range> ranges);
  // Nack out_of_order for a batch held back by `blocked`.
  void RefuseOutOfOrder(uint64_t batch_id, std::span<const SourceOrder::Range> ranges,
                        const SourceOrder::Blocked& blocked);
  // Every Nack of a batch goes through here: remembered in order_, counted, sent.
  void RefuseBatch(std::span<const SourceOrder::Range> ranges, bool dropped_for_good,
                   const protocol::NackMessage& nack);
  void HandleHeartbeat(const protocol::fb::Heartbeat& heartbeat);
  // Runs on the loop with the engine's verdict on batch `batch_id`.
  void OnPushDone(uint64_t batch_id, const Status& status, const engine::PushOutcome& outcome);
  void FinishBatch(uint64_t batch_id);
  void SendNack(const protocol::NackMessage& nack);
  // Nack (batch 0) + Goodbye + end: the connection cannot go on.
  void Reject(protocol::fb::NackCode code, const std::string& reason);
  void SendGoodbyeAndEnd(const std::string& reason, uint32_t reconnect_after_ms);
  void Send(const std::vector<uint8_t>& frame);
  void UpdateReading();
  void ScheduleIdleCheck(int64_t delay_ns);
  void OnIdleCheck();

  const uint64_t id_;
  std::unique_ptr<net::ByteStream> stream_;
  const SessionEnv* const env_;
  log::ComponentLogger log_;
  protocol::FrameDecoder decoder_;
  State state_ = State::kAwaitHello;
  std::string tenant_;
  std::string agent_id_;
  std::string host_;
  std::map<uint64_t, Inflight> inflight_;
  SourceOrder order_;
  size_t unacked_bytes_ = 0;
  bool paused_ = false;
  bool draining_ = false;
  uint32_t reconnect_after_ms_ = 0;
  int64_t last_frame_ns_ = 0;  // monotonic
  time::TimerService::TimerId idle_timer_ = time::TimerService::kInvalidTimerId;
  uint64_t batches_acked_ = 0;
  uint64_t batches_nacked_ = 0;
};

}  // namespace silt::server
