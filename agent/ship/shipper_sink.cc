#include "agent/ship/shipper_sink.h"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace silt::agent {
namespace {

constexpr int64_t kNsPerMs = 1'000'000;

std::string Hex(uint64_t value) {
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
  return text;
}

}  // namespace

ShipperSink::ShipperSink(Options options, Connector connector, PositionsStore* positions,
                         const time::Clock* clock, time::TimerService* timers,
                         ShipperMetrics* metrics, LabelLookup labels, log::Logger* logger)
    : options_(std::move(options)),
      connector_(std::move(connector)),
      positions_(positions),
      clock_(clock),
      timers_(timers),
      metrics_(metrics),
      labels_(std::move(labels)),
      log_(logger, "shipper"),
      started_at_ns_(clock->WallNanos()),
      backoff_(options_.backoff_min_ns, options_.backoff_max_ns, options_.seed) {}

ShipperSink::~ShipperSink() {
  for (auto* id :
       {&linger_timer_, &reconnect_timer_, &handshake_timer_, &heartbeat_timer_, &drain_timer_}) {
    CancelTimer(*id);
  }
  window_.RequeueAll([this](time::TimerService::TimerId id) { timers_->Cancel(id); });
  pending_connect_.reset();
  stream_.reset();
}

void ShipperSink::Start() {
  if (state_ == State::kIdle) Connect();
}

void ShipperSink::CancelTimer(time::TimerService::TimerId& id) {
  if (id != time::TimerService::kInvalidTimerId) timers_->Cancel(id);
  id = time::TimerService::kInvalidTimerId;
}

// ---- Connection ----

void ShipperSink::Connect() {
  if (connect_attempts_++ > 0) metrics_->reconnects->Inc();
  state_ = State::kConnecting;
  pending_connect_ = connector_(
      [this](Result<std::unique_ptr<net::ByteStream>> stream) { OnConnected(std::move(stream)); });
}

void ShipperSink::OnConnected(Result<std::unique_ptr<net::ByteStream>> stream) {
  pending_connect_.reset();
  if (!stream.ok()) {
    log_.Warn("cannot connect to the aggregator; retrying",
              {{"address", options_.address}, {"error", stream.status()}});
    ScheduleReconnect(-1);
    return;
  }
  stream_ = std::move(*stream);
  stream_->SetHandler(this);
  state_ = State::kHandshake;
  decoder_.emplace();
  encoder_ = protocol::FrameEncoder();
  protocol::HelloMessage hello;
  hello.agent_id = options_.agent_id;
  hello.host = options_.host;
  hello.agent_version = options_.agent_version;
  hello.token = options_.token;
  hello.started_at_ns = started_at_ns_;
  frame_.clear();
  Status encoded = protocol::EncodeHello(hello, &frame_);
  if (!encoded.ok()) {
    log_.Error("cannot encode the Hello (token or host name too long?)", {{"error", encoded}});
    Disconnect("Hello not encodable", -1);
    return;
  }
  Write(frame_);
  handshake_timer_ = timers_->Schedule(options_.handshake_timeout_ns, [this] {
    handshake_timer_ = time::TimerService::kInvalidTimerId;
    Disconnect("no Welcome from the aggregator within connect_timeout", -1);
  });
}

void ShipperSink::Disconnect(const std::string& why, int64_t delay_ns) {
  if (stream_ == nullptr || state_ == State::kClosing || state_ == State::kDone) return;
  log_.Warn("closing the connection to the aggregator; reconnecting",
            {{"address", options_.address}, {"reason", why}});
  reconnect_delay_ns_ = delay_ns;
  state_ = State::kClosing;
  CancelTimer(handshake_timer_);
  CancelTimer(heartbeat_timer_);
  stream_->Close();
}

void ShipperSink::OnClosed(const Status& why) {
  std::unique_ptr<net::ByteStream> closed = std::move(stream_);  // destroyed on return
  CancelTimer(handshake_timer_);
  CancelTimer(heartbeat_timer_);
  metrics_->connected->Set(0);
  window_.RequeueAll([this](time::TimerService::TimerId id) { timers_->Cancel(id); });
  UpdateGauges();
  if (state_ == State::kDone) return;
  if (state_ != State::kClosing) {
    if (why.ok()) {
      log_.Warn("the aggregator closed the connection; reconnecting",
                {{"address", options_.address}, {"unacked_batches", window_.size()}});
    } else {
      log_.Warn(
          "lost the connection to the aggregator; reconnecting",
          {{"address", options_.address}, {"error", why}, {"unacked_batches", window_.size()}});
    }
  }
  const int64_t delay = reconnect_delay_ns_;
  reconnect_delay_ns_ = -1;
  ScheduleReconnect(delay);
}

void ShipperSink::ScheduleReconnect(int64_t delay_ns) {
  if (state_ == State::kDone) return;
  state_ = State::kWaiting;
  if (delay_ns < 0) delay_ns = backoff_.Next();
  CancelTimer(reconnect_timer_);
  reconnect_timer_ = timers_->Schedule(delay_ns, [this] {
    reconnect_timer_ = time::TimerService::kInvalidTimerId;
    Connect();
  });
}

void ShipperSink::OnData(std::string_view bytes) {
  if (state_ != State::kHandshake && state_ != State::kReady) return;
  decoder_->Feed(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  while (state_ == State::kHandshake || state_ == State::kReady) {
    Result<std::optional<protocol::Frame>> next = decoder_->Next();
    if (!next.ok()) {
      Disconnect("bad frame from the aggregator: " + next.status().ToString(), -1);
      return;
    }
    if (!next->has_value()) return;
    HandleFrame(**next);
  }
}

void ShipperSink::HandleFrame(const protocol::Frame& frame) {
  const bool ready = state_ == State::kReady;
  if (const protocol::fb::Welcome* welcome = frame.AsWelcome(); welcome != nullptr && !ready) {
    OnWelcome(protocol::ReadWelcome(*welcome));
  } else if (const protocol::fb::Ack* ack = frame.AsAck(); ack != nullptr && ready) {
    OnAck(ack->batch_id());
  } else if (const protocol::fb::Nack* nack = frame.AsNack(); nack != nullptr) {
    OnNack(protocol::ReadNack(*nack));
  } else if (const protocol::fb::Heartbeat* beat = frame.AsHeartbeat(); beat != nullptr && ready) {
    protocol::HeartbeatMessage message = protocol::ReadHeartbeat(*beat);
    if (message.reply) return;
    message.reply = true;
    frame_.clear();
    if (protocol::EncodeHeartbeat(message, &frame_).ok()) Write(frame_);
  } else if (const protocol::fb::Goodbye* goodbye = frame.AsGoodbye(); goodbye != nullptr) {
    const protocol::GoodbyeMessage message = protocol::ReadGoodbye(*goodbye);
    log_.Info("the aggregator said goodbye",
              {{"reason", message.reason}, {"reconnect_after_ms", message.reconnect_after_ms}});
    Disconnect("goodbye: " + message.reason,
               message.reconnect_after_ms > 0 ? message.reconnect_after_ms * kNsPerMs : -1);
  } else {
    Disconnect(std::string("unexpected ") + std::string(protocol::FrameTypeName(frame.type())) +
                   " frame from the aggregator",
               -1);
  }
}

void ShipperSink::OnWelcome(const protocol::WelcomeMessage& welcome) {
  CancelTimer(handshake_timer_);
  state_ = State::kReady;
  backoff_.Reset();
  window_size_ = std::min<size_t>(options_.max_inflight_batches,
                                  std::max<uint32_t>(welcome.max_inflight_batches, 1));
  protocol::FrameEncoderOptions encoder;
  encoder.peer_limits = protocol::AnnouncedLimits(welcome);
  encoder_ = protocol::FrameEncoder(encoder);
  heartbeat_interval_ns_ = int64_t{welcome.heartbeat_interval_ms} * kNsPerMs;
  pipelined_ = welcome.ordered_sources;
  metrics_->connected->Set(1);
  log_.Info("connected to the aggregator", {{"address", options_.address},
                                            {"session", welcome.session_id},
                                            {"tenant", welcome.tenant},
                                            {"server_version", welcome.server_version},
                                            {"window", window_size_},
                                            {"pipelined", pipelined_},
                                            {"unacked_batches", window_.size()}});
  ScheduleHeartbeat();
  Pump();
}

void ShipperSink::ScheduleHeartbeat() {
  CancelTimer(heartbeat_timer_);
  if (heartbeat_interval_ns_ <= 0 || state_ != State::kReady) return;
  const int64_t due = last_send_ns_ + heartbeat_interval_ns_ - clock_->MonotonicNanos();
  heartbeat_timer_ = timers_->Schedule(std::max<int64_t>(due, 0), [this] {
    heartbeat_timer_ = time::TimerService::kInvalidTimerId;
    OnHeartbeatTimer();
  });
}

void ShipperSink::OnHeartbeatTimer() {
  if (state_ != State::kReady) return;
  if (clock_->MonotonicNanos() - last_send_ns_ >= heartbeat_interval_ns_) {
    protocol::HeartbeatMessage beat;
    beat.sequence = ++heartbeat_sequence_;
    beat.sent_at_ns = clock_->WallNanos();
    frame_.clear();
    if (protocol::EncodeHeartbeat(beat, &frame_).ok()) Write(frame_);
  }
  ScheduleHeartbeat();
}

// ---- Answers ----

void ShipperSink::OnAck(uint64_t batch_id) {
  SendWindow::Iterator slot = window_.FindInFlight(batch_id);
  if (slot == window_.end()) {
    log_.Debug("Ack for a batch not in flight; ignored", {{"batch_id", batch_id}});
    return;
  }
  if (window_.PassesUnsent(slot)) {
    // Positions stay safe (PositionsStore::Confirm advances only over a contiguous prefix), but
    // the aggregator may now drop the earlier batch's resend as a repeat.
    log_.Error(
        "the aggregator acked a batch past an earlier refused batch of the same source; "
        "lines of the earlier batch may be lost (aggregator bug)",
        {{"batch_id", batch_id}, {"address", options_.address}});
  }
  metrics_->ack_latency->Observe(static_cast<double>(clock_->MonotonicNanos() - slot->sent_ns) /
                                 1e9);
  metrics_->batches_acked->Inc();
  metrics_->acked_entries->Inc(slot->batch.entries());
  slot->batch.Confirm(positions_);
  window_.Erase(slot);
  AfterWindowChange();
}

void ShipperSink::OnNack(const protocol::NackMessage& nack) {
  const std::string code(protocol::NackCodeName(nack.code));
  if (nack.batch_id == 0) {
    log_.Error("the aggregator refused the session",
               {{"address", options_.address}, {"code", code}, {"reason", nack.reason}});
    const int64_t retry = int64_t{nack.retry_after_ms} * kNsPerMs;
    Disconnect("session refused: " + code, retry > 0 ? std::max(retry, backoff_.Next()) : -1);
    return;
  }
  SendWindow::Iterator slot = window_.FindInFlight(nack.batch_id);
  if (slot == window_.end()) return;
  metrics_->batches_nacked->WithLabels({code}).Inc();
  if (nack.code == protocol::fb::NackCode::too_large ||
      nack.code == protocol::fb::NackCode::malformed) {
    SplitOrDrop(slot, nack.reason, code);
    AfterWindowChange();
    return;
  }
  int64_t delay = int64_t{nack.retry_after_ms} * kNsPerMs;
  if (delay <= 0) delay = options_.backoff_min_ns;
  // out_of_order follows another refusal (logged already) while batches are pipelined.
  log_.Log(
      nack.code == protocol::fb::NackCode::out_of_order ? log::Level::kDebug : log::Level::kWarn,
      "batch refused for now; resending later",
      {{"batch_id", nack.batch_id},
       {"code", code},
       {"retry_after_ms", delay / kNsPerMs},
       {"reason", nack.reason}});
  slot->state = SendWindow::State::kRetryWait;
  const uint64_t id = nack.batch_id;
  slot->retry_timer = timers_->Schedule(delay, [this, id] {
    SendWindow::Iterator waiting = window_.Find(id);
    if (waiting == window_.end() || waiting->state != SendWindow::State::kRetryWait) return;
    waiting->retry_timer = time::TimerService::kInvalidTimerId;
    waiting->state = SendWindow::State::kQueued;
    Pump();
  });
  AfterWindowChange();
}

void ShipperSink::SplitOrDrop(SendWindow::Iterator slot, const std::string& reason,
                              const std::string& code) {
  if (slot->batch.entries() >= 2) {
    auto [first, second] = slot->batch.Split();
    log_.Warn("batch refused; splitting it in two", {{"batch_id", slot->batch.id()},
                                                     {"entries", slot->batch.entries()},
                                                     {"code", code},
                                                     {"reason", reason}});
    first.set_id(next_batch_id_++);
    second.set_id(next_batch_id_++);
    window_.Replace(slot, std::move(first), std::move(second));
    return;
  }
  for (const LabeledChunk& chunk : slot->batch.chunks()) {
    if (chunk.chunk.lines.empty()) continue;
    log_.Error("the aggregator refuses this entry for good; skipping it",
               {{"path", chunk.chunk.path},
                {"source", Hex(chunk.chunk.source_id)},
                {"offset", chunk.chunk.lines.front().start_offset},
                {"code", code},
                {"reason", reason}});
  }
  metrics_->dropped_entries->WithLabels({code}).Inc(slot->batch.entries());
  slot->batch.Confirm(positions_);
  window_.Erase(slot);
}

void ShipperSink::AfterWindowChange() {
  UpdatePause();
  Pump();
  MaybeFinishDrain();
}

// ---- Batching and sending ----

void ShipperSink::Deliver(Batch batch) {
  // One nanosecond per line, never reused (see LabeledChunk): a delivery starts after the
  // previous one's last stamp even if the clock has not moved on or stepped back.
  int64_t next = std::max(clock_->WallNanos(), next_timestamp_ns_);
  for (SourceChunk& chunk : batch.chunks) {
    LabeledChunk labeled;
    labeled.labels = labels_(chunk.path);
    labeled.timestamp_ns = next;
    next += static_cast<int64_t>(chunk.lines.size());
    labeled.chunk = std::move(chunk);
    Gather(std::move(labeled));
  }
  next_timestamp_ns_ = next;
  if (options_.linger_ns <= 0) Seal();
  UpdatePause();
  UpdateGauges();
}

void ShipperSink::Gather(LabeledChunk chunk) {
  while (true) {
    if (gathering_.empty() && options_.linger_ns > 0) {
      linger_timer_ = timers_->Schedule(options_.linger_ns, [this] {
        linger_timer_ = time::TimerService::kInvalidTimerId;
        Seal();
      });
    }
    // How many of the chunk's lines fit in the batch (at least one, so every batch moves on).
    const std::vector<Line>& lines = chunk.chunk.lines;
    size_t room = options_.batch_max_bytes - std::min(gathering_.bytes(), options_.batch_max_bytes);
    size_t fit = 0;
    while (fit < lines.size() &&
           (fit == 0 || lines[fit].text.size() + OutgoingBatch::kEntryOverhead <= room)) {
      room -= std::min(room, lines[fit].text.size() + OutgoingBatch::kEntryOverhead);
      ++fit;
    }
    if (fit == 0 || fit == lines.size()) {
      gathering_.Add(std::move(chunk));
      if (gathering_.bytes() >= options_.batch_max_bytes) Seal();
      return;
    }
    auto [head, tail] = SplitChunk(chunk, fit);
    gathering_.Add(std::move(head));
    Seal();
    chunk = std::move(tail);
  }
}

void ShipperSink::Seal() {
  CancelTimer(linger_timer_);
  if (gathering_.empty()) return;
  gathering_.set_id(next_batch_id_++);
  window_.Push(std::move(gathering_));
  gathering_ = OutgoingBatch();
  Pump();
}

void ShipperSink::Pump() {
  while (state_ == State::kReady) {
    SendWindow::Iterator slot = window_.NextToSend(window_size_, pipelined_);
    if (slot == window_.end()) break;
    frame_.clear();
    Status encoded = slot->batch.Encode(&builder_, encoder_, &frame_);
    if (!encoded.ok()) {  // over the limits the aggregator announced
      SplitOrDrop(slot, std::string(encoded.message()), "too_large");
      UpdatePause();
      continue;
    }
    if (slot->sent_before) metrics_->resends->Inc();
    metrics_->batches_sent->Inc();
    window_.MarkSent(slot, clock_->MonotonicNanos(), frame_.size());
    Write(frame_);
  }
  UpdateGauges();
  MaybeFinishDrain();
}

void ShipperSink::Write(std::vector<uint8_t>& frame) {
  stream_->Write(std::string(frame.begin(), frame.end()));
  last_send_ns_ = clock_->MonotonicNanos();
}

void ShipperSink::UpdateGauges() {
  metrics_->inflight_batches->Set(static_cast<double>(window_.in_flight()));
  metrics_->inflight_bytes->Set(static_cast<double>(window_.in_flight_bytes()));
  metrics_->buffered_bytes->Set(static_cast<double>(held_bytes()));
}

size_t ShipperSink::held_bytes() const { return gathering_.bytes() + window_.held_bytes(); }

void ShipperSink::UpdatePause() {
  const bool pause = held_bytes() >= options_.max_buffered_bytes;
  if (pause == paused_) return;
  paused_ = pause;
  const int64_t now = clock_->MonotonicNanos();
  if (paused_) {
    paused_since_ns_ = now;
    log_.Debug("reading paused: max_buffered_bytes reached", {{"held_bytes", held_bytes()}});
  } else {
    metrics_->blocked_seconds->Add(static_cast<double>(now - paused_since_ns_) / 1e9);
  }
  metrics_->blocked->Set(paused_ ? 1 : 0);
  if (pause_) pause_(paused_);
}

// ---- Shutdown ----

void ShipperSink::Drain(int64_t timeout_ns, std::function<void()> done) {
  draining_ = true;
  drain_done_ = std::move(done);
  Seal();
  drain_timer_ = timers_->Schedule(std::max<int64_t>(timeout_ns, 0), [this] {
    drain_timer_ = time::TimerService::kInvalidTimerId;
    if (!window_.empty()) {
      log_.Warn(
          "shutdown_timeout reached with batches not acked; they are read again at the "
          "next start",
          {{"unacked_batches", window_.size()}, {"connected", state_ == State::kReady}});
    }
    FinishDrain();
  });
  MaybeFinishDrain();
}

void ShipperSink::MaybeFinishDrain() {
  if (!draining_ || finish_scheduled_ || !window_.empty() || !gathering_.empty()) return;
  finish_scheduled_ = true;
  CancelTimer(drain_timer_);
  drain_timer_ = timers_->Schedule(0, [this] {
    drain_timer_ = time::TimerService::kInvalidTimerId;
    FinishDrain();
  });
}

void ShipperSink::FinishDrain() {
  if (state_ == State::kDone) return;
  const bool ready = state_ == State::kReady;
  state_ = State::kDone;
  for (auto* id :
       {&linger_timer_, &reconnect_timer_, &handshake_timer_, &heartbeat_timer_, &drain_timer_}) {
    CancelTimer(*id);
  }
  window_.RequeueAll([this](time::TimerService::TimerId id) { timers_->Cancel(id); });
  pending_connect_.reset();
  if (stream_ != nullptr) {
    if (ready) {
      protocol::GoodbyeMessage goodbye;
      goodbye.reason = "agent shutting down";
      frame_.clear();
      if (protocol::EncodeGoodbye(goodbye, &frame_).ok()) Write(frame_);
    }
    stream_->Shutdown();
  }
  metrics_->connected->Set(0);
  UpdateGauges();
  if (std::function<void()> done = std::move(drain_done_); done) done();
}

}  // namespace silt::agent
