// ShipperSink: the BatchSink that sends tailed lines to silt-aggregator over the agent protocol
// (DESIGN.md "Agent to aggregator protocol", protocol/) and confirms them to the PositionsStore
// only when the aggregator acks them (its WAL record is fsync'd).
//
// Batching: tailer batches are gathered into one OutgoingBatch until it holds batch_max_bytes or
// is `linger` old, then it gets the next batch id and joins the SendWindow (send_window.h: up to
// min(max_inflight_batches, Welcome.max_inflight_batches) in flight; several per source when the
// aggregator announces Welcome.ordered_sources, in order and never past a refused one; otherwise
// one at a time per source).
// Frames are lz4-compressed when that makes them smaller (FrameEncoder).
//
// Answers: Ack -> the batch's ranges are confirmed (PositionsStore::Confirm keeps a source's
// position from passing a range not confirmed yet). Nack with a backpressure code -> the batch
// is resent with its id after retry_after_ms. Nack too_large or malformed -> the batch is split in
// two (new ids) and both halves sent, down to single entries; a single entry refused that way
// cannot be stored at all, so it is logged (source, offset, reason), counted in
// silt_agent_shipper_dropped_entries_total and confirmed, so shipping goes on. Connection-level
// Nacks (unauthenticated, unsupported_version) are logged as errors and retried with backoff
// (the operator fixes the token or upgrades).
//
// Connection: Connect (plain TCP or TLS) -> Hello (agent id, host, version, token) -> Welcome
// (limits, window, heartbeat interval). Any failure (connect, handshake, a broken frame, the peer
// closing) reconnects after exponential backoff with full jitter (backoff.h) and resends every
// unacked batch in order with its original id; Goodbye from the aggregator reconnects after its
// reconnect_after_ms. A Heartbeat goes out after heartbeat_interval_ms without sending; incoming
// heartbeats are answered.
//
// Memory bound: when the entry bytes held (gathering + unacked) reach max_buffered_bytes, the
// pause callback asks the tailer to stop reading (the files are the buffer) until acks free
// room; silt_agent_shipper_blocked says so.
//
// Thread-safety: not thread-safe; everything runs on the loop thread (Deliver inside
// TailerSet::Poll, the rest from the ByteStream and timer callbacks).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agent/positions/positions_store.h"
#include "agent/ship/backoff.h"
#include "agent/ship/outgoing_batch.h"
#include "agent/ship/send_window.h"
#include "agent/ship/shipper_metrics.h"
#include "agent/tailer/batch.h"
#include "protocol/batch_builder.h"
#include "protocol/frame_decoder.h"
#include "protocol/frame_encoder.h"
#include "protocol/messages.h"
#include "shared/labels/label_set.h"
#include "shared/log/logger.h"
#include "shared/net/byte_stream.h"
#include "shared/net/stream_connector.h"
#include "shared/time/clock.h"
#include "shared/time/timer_service.h"

namespace silt::agent {

class ShipperSink final : public BatchSink, private net::StreamHandler {
 public:
  struct Options {
    std::string agent_id;
    std::string host;
    std::string agent_version;
    std::string token;
    std::string address;  // for log lines only ("aggregator.example.com:7458")
    size_t batch_max_bytes = 1 << 20;
    int64_t linger_ns = 100'000'000;
    uint32_t max_inflight_batches = 8;
    size_t max_buffered_bytes = 16 << 20;
    int64_t backoff_min_ns = 100'000'000;
    int64_t backoff_max_ns = 30'000'000'000;
    int64_t handshake_timeout_ns = 10'000'000'000;  // from the connection to the Welcome
    uint64_t seed = 1;                              // jitter; pass EntropySeed() in production
  };
  // Starts a connection attempt (net::Connect in production, an in-process pair in tests).
  using Connector = std::function<std::unique_ptr<net::PendingConnect>(net::ConnectFn done)>;
  using LabelLookup = std::function<labels::LabelSet(const std::string& path)>;
  // Called with true when reading should stop, false when it may go on.
  using PauseFn = std::function<void(bool paused)>;

  // Every pointer must outlive the sink.
  ShipperSink(Options options, Connector connector, PositionsStore* positions,
              const time::Clock* clock, time::TimerService* timers, ShipperMetrics* metrics,
              LabelLookup labels, log::Logger* logger);
  ~ShipperSink() override;
  ShipperSink(const ShipperSink&) = delete;
  ShipperSink& operator=(const ShipperSink&) = delete;

  void SetPauseCallback(PauseFn pause) { pause_ = std::move(pause); }
  // Starts connecting.
  void Start();
  void Deliver(Batch batch) override;

  // Sends what is gathered and waits until every batch is acked or `timeout_ns` passes, then
  // says Goodbye, shuts the connection down and runs `done` (from a later callback, never inside
  // this call). Unacked batches are read again after the next start.
  void Drain(int64_t timeout_ns, std::function<void()> done);

  bool connected() const { return state_ == State::kReady; }
  bool paused() const { return paused_; }
  size_t unacked_batches() const { return window_.size(); }
  // Batches sent and not answered on the current connection.
  size_t in_flight() const { return window_.in_flight(); }
  // The window in force: min(max_inflight_batches, Welcome.max_inflight_batches).
  size_t window() const { return window_size_; }
  // Whether the current connection lets several batches of one source be in flight
  // (Welcome.ordered_sources).
  bool pipelined() const { return pipelined_; }

 private:
  enum class State { kIdle, kWaiting, kConnecting, kHandshake, kReady, kClosing, kDone };

  // StreamHandler.
  void OnData(std::string_view bytes) override;
  void OnDrained() override {}
  void OnClosed(const Status& why) override;

  void Connect();
  void OnConnected(Result<std::unique_ptr<net::ByteStream>> stream);
  // Closes the connection (OnClosed follows) and reconnects after `delay_ns`, or after the next
  // backoff delay when negative.
  void Disconnect(const std::string& why, int64_t delay_ns);
  void ScheduleReconnect(int64_t delay_ns);
  void HandleFrame(const protocol::Frame& frame);
  void OnWelcome(const protocol::WelcomeMessage& welcome);
  void OnAck(uint64_t batch_id);
  void OnNack(const protocol::NackMessage& nack);
  // too_large / malformed: splits the batch in two (new ids), or drops a single entry loudly.
  void SplitOrDrop(SendWindow::Iterator slot, const std::string& reason, const std::string& code);
  void AfterWindowChange();
  void OnHeartbeatTimer();
  void ScheduleHeartbeat();

  // Adds the chunk to the batch being gathered, splitting it at a line so that batches stay
  // within batch_max_bytes (a batch holds at least one line, however long).
  void Gather(LabeledChunk chunk);
  void Seal();
  void Pump();
  void Write(std::vector<uint8_t>& frame);
  void UpdateGauges();
  size_t held_bytes() const;
  void UpdatePause();
  void MaybeFinishDrain();
  void FinishDrain();
  void CancelTimer(time::TimerService::TimerId& id);

  const Options options_;
  Connector connector_;
  PositionsStore* const positions_;
  const time::Clock* const clock_;
  time::TimerService* const timers_;
  ShipperMetrics* const metrics_;
  LabelLookup labels_;
  log::ComponentLogger log_;
  PauseFn pause_;

  State state_ = State::kIdle;
  std::unique_ptr<net::PendingConnect> pending_connect_;
  std::unique_ptr<net::ByteStream> stream_;
  uint64_t connect_attempts_ = 0;
  const int64_t started_at_ns_;
  int64_t reconnect_delay_ns_ = -1;  // set by Disconnect for the OnClosed that follows
  Backoff backoff_;
  std::optional<protocol::FrameDecoder> decoder_;  // one per connection
  protocol::FrameEncoder encoder_;
  protocol::BatchBuilder builder_;
  std::vector<uint8_t> frame_;
  size_t window_size_ = 1;
  bool pipelined_ = false;
  int64_t heartbeat_interval_ns_ = 0;
  int64_t last_send_ns_ = 0;
  uint64_t heartbeat_sequence_ = 0;

  OutgoingBatch gathering_;
  uint64_t next_batch_id_ = 1;
  int64_t next_timestamp_ns_ = 0;  // the lowest timestamp the next delivered line may get
  SendWindow window_;

  bool paused_ = false;
  int64_t paused_since_ns_ = 0;
  bool draining_ = false;
  bool finish_scheduled_ = false;
  std::function<void()> drain_done_;

  time::TimerService::TimerId linger_timer_ = time::TimerService::kInvalidTimerId;
  time::TimerService::TimerId reconnect_timer_ = time::TimerService::kInvalidTimerId;
  time::TimerService::TimerId handshake_timer_ = time::TimerService::kInvalidTimerId;
  time::TimerService::TimerId heartbeat_timer_ = time::TimerService::kInvalidTimerId;
  time::TimerService::TimerId drain_timer_ = time::TimerService::kInvalidTimerId;
};

}  // namespace silt::agent
