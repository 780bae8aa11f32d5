#include "aggregator/server/agent_session.h"

#include <span>
#include <utility>

#include "aggregator/server/batch_request.h"
#include "aggregator/server/nack_policy.h"

namespace silt::server {
namespace {

using protocol::fb::NackCode;

constexpr size_t kMaxAgentIdBytes = 256;

uint32_t ToMillis(int64_t ns) {
  return static_cast<uint32_t>((ns + kMillisecondNs - 1) / kMillisecondNs);
}

std::string Seconds(int64_t ns) { return std::to_string(ns / 1'000'000'000) + "s"; }

}  // namespace

AgentSession::AgentSession(uint64_t id, std::unique_ptr<net::ByteStream> stream,
                           const SessionEnv* env)
    : id_(id),
      stream_(std::move(stream)),
      env_(env),
      log_(env->logger, "agent-session"),
      decoder_(env->options->frame_limits) {}

AgentSession::~AgentSession() {
  if (idle_timer_ != time::TimerService::kInvalidTimerId) env_->timers->Cancel(idle_timer_);
}

void AgentSession::Start() {
  env_->metrics->sessions->Inc();
  env_->metrics->sessions_started->Inc();
  last_frame_ns_ = env_->clock->MonotonicNanos();
  if (env_->options->idle_timeout_ns > 0) ScheduleIdleCheck(env_->options->idle_timeout_ns);
  stream_->SetHandler(this);
}

void AgentSession::Drain(uint32_t reconnect_after_ms) {
  if (draining_) return;
  draining_ = true;
  reconnect_after_ms_ = reconnect_after_ms;
  if (state_ == State::kEnding || state_ == State::kClosed) return;
  UpdateReading();
  if (inflight_.empty()) SendGoodbyeAndEnd("aggregator shutting down", reconnect_after_ms_);
}

void AgentSession::Abort() {
  if (state_ != State::kClosed) stream_->Close();
}

void AgentSession::OnData(std::string_view bytes) {
  if (state_ != State::kAwaitHello && state_ != State::kReady) return;
  decoder_.Feed(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
  while (state_ == State::kAwaitHello || state_ == State::kReady) {
    Result<std::optional<protocol::Frame>> next = decoder_.Next();
    if (!next.ok()) {
      env_->metrics->frame_errors->Inc();
      const NackCode code = next.status().code() == StatusCode::kResourceExhausted
                                ? NackCode::too_large
                                : NackCode::malformed;
      Reject(code, "malformed frame from " + stream_->peer().address + ": " +
                       std::string(next.status().message()));
      return;
    }
    if (!next->has_value()) break;
    env_->metrics->received_bytes->Inc((*next)->wire_size());
    last_frame_ns_ = env_->clock->MonotonicNanos();
    HandleFrame(**next);
  }
  if (state_ == State::kReady) UpdateReading();
}

void AgentSession::HandleFrame(const protocol::Frame& frame) {
  using protocol::FrameType;
  const FrameType type = frame.type();
  if (type == FrameType::kHello) {
    if (state_ != State::kAwaitHello) {
      Reject(NackCode::malformed, "a second Hello on one connection");
      return;
    }
    HandleHello(*frame.AsHello());
    return;
  }
  if (state_ == State::kAwaitHello) {
    Reject(NackCode::malformed,
           "expected Hello as the first frame, got " + std::string(protocol::FrameTypeName(type)));
    return;
  }
  switch (type) {
    case FrameType::kBatch:
      HandleBatch(frame, *frame.AsBatch());
      return;
    case FrameType::kHeartbeat:
      HandleHeartbeat(*frame.AsHeartbeat());
      return;
    case FrameType::kGoodbye: {
      protocol::GoodbyeMessage goodbye = protocol::ReadGoodbye(*frame.AsGoodbye());
      log_.Info("agent said goodbye",
                {{"session", id_}, {"agent_id", agent_id_}, {"reason", goodbye.reason}});
      state_ = State::kEnding;
      stream_->Shutdown();
      return;
    }
    default:
      env_->metrics->frame_errors->Inc();
      Reject(NackCode::malformed,
             std::string(protocol::FrameTypeName(type)) + " is not a frame agents send");
      return;
  }
}

void AgentSession::HandleHello(const protocol::fb::Hello& table) {
  protocol::HelloMessage hello = protocol::ReadHello(table);
  if (hello.protocol_version != protocol::kFrameVersion) {
    env_->metrics->hello_rejected->WithLabels({"unsupported_version"}).Inc();
    Reject(NackCode::unsupported_version, "protocol version " +
                                              std::to_string(hello.protocol_version) +
                                              " is not supported; this aggregator speaks version " +
                                              std::to_string(protocol::kFrameVersion));
    return;
  }
  if (hello.agent_id.empty() || hello.agent_id.size() > kMaxAgentIdBytes) {
    env_->metrics->hello_rejected->WithLabels({"malformed"}).Inc();
    Reject(NackCode::malformed,
           "Hello needs an agent_id of 1 to " + std::to_string(kMaxAgentIdBytes) + " bytes");
    return;
  }
  Result<std::string> tenant = ResolveTenant(*env_->auth, hello.token, stream_->peer());
  if (!tenant.ok()) {
    env_->metrics->hello_rejected->WithLabels({"unauthenticated"}).Inc();
    Reject(NackCode::unauthenticated, std::string(tenant.status().message()));
    return;
  }
  tenant_ = std::move(*tenant);
  agent_id_ = std::move(hello.agent_id);
  host_ = std::move(hello.host);
  state_ = State::kReady;
  const SessionOptions& o = *env_->options;
  protocol::WelcomeMessage welcome;
  welcome.session_id = id_;
  welcome.server_version = o.server_version;
  welcome.tenant = tenant_;
  welcome.max_wire_bytes = o.frame_limits.max_wire_bytes;
  welcome.max_uncompressed_bytes = o.frame_limits.max_uncompressed_bytes;
  welcome.max_inflight_batches = o.max_inflight_batches;
  welcome.max_line_bytes = o.max_line_bytes;
  welcome.heartbeat_interval_ms = ToMillis(o.heartbeat_interval_ns);
  welcome.idle_timeout_ms = ToMillis(o.idle_timeout_ns);
  welcome.ordered_sources = true;  // source_order.h
  std::vector<uint8_t> frame;
  if (Status s = protocol::EncodeWelcome(welcome, &frame); !s.ok()) {
    Reject(NackCode::internal, "cannot encode Welcome: " + std::string(s.message()));
    return;
  }
  Send(frame);
  const net::PeerInfo& peer = stream_->peer();
  log_.Info("agent connected", {{"session", id_},
                                {"agent_id", agent_id_},
                                {"host", host_},
                                {"version", hello.agent_version},
                                {"tenant", tenant_},
                                {"peer", peer.address},
                                {"tls", peer.tls}});
}

void AgentSession::HandleBatch(const protocol::Frame& frame, const protocol::fb::Batch& batch) {
  const uint64_t batch_id = batch.batch_id();
  std::vector<SourceOrder::Range> ranges = SourceOrder::RangesOf(batch);
  if (draining_) {
    RefuseBatch(ranges, false,
                {batch_id, NackCode::shutting_down, reconnect_after_ms_,
                 "aggregator shutting down; resend after reconnecting"});
    return;
  }
  if (std::optional<SourceOrder::Blocked> blocked = order_.Check(ranges)) {
    RefuseOutOfOrder(batch_id, ranges, *blocked);
    return;
  }
  if (inflight_.size() >= env_->options->max_inflight_batches) {
    RefuseBatch(
        ranges, false,
        {batch_id, NackCode::rate_limited, kRetryInFlightMs,
         "more than max_inflight_batches (" + std::to_string(env_->options->max_inflight_batches) +
             ") batches in flight; wait for acks before sending more"});
    return;
  }
  if (inflight_.count(batch_id) != 0) {
    env_->metrics->frame_errors->Inc();
    Reject(NackCode::malformed,
           "batch id " + std::to_string(batch_id) + " reused while that batch is in flight");
    return;
  }
  BatchRequest request;
  BatchLimits limits{env_->options->max_line_bytes, env_->options->label_limits};
  if (Status built = request.Build(batch, tenant_, agent_id_, limits); !built.ok()) {
    log_.Warn(
        "batch refused",
        {{"session", id_}, {"agent_id", agent_id_}, {"batch_id", batch_id}, {"error", built}});
    RefuseBatch(ranges, SourceOrder::EntriesOf(batch) == 1,
                {batch_id, NackCode::malformed, 0, std::string(built.message())});
    return;
  }
  if (request.lines_truncated() != 0)
    env_->metrics->lines_truncated->Inc(request.lines_truncated());
  Push(batch_id, frame.wire_size(), &request, std::move(ranges));
}

void AgentSession::Push(uint64_t batch_id, size_t wire_bytes, BatchRequest* request,
                        std::vector<SourceOrder::Range> ranges) {
  order_.Taken(ranges);
  inflight_[batch_id] = Inflight{wire_bytes, request->entries(), std::move(ranges)};
  unacked_bytes_ += wire_bytes;
  std::weak_ptr<AgentSession> weak = weak_from_this();
  std::shared_ptr<CompletionMailbox> mailbox = env_->mailbox;
  Status pushed = env_->push(
      std::move(request->request()),
      [weak, mailbox, batch_id](const Status& status, const engine::PushOutcome& outcome) {
        mailbox->Post([weak, batch_id, status, outcome] {
          if (std::shared_ptr<AgentSession> self = weak.lock()) {
            self->OnPushDone(batch_id, status, outcome);
          }
        });
      });
  if (!pushed.ok()) OnPushDone(batch_id, pushed, engine::PushOutcome{});
}

void AgentSession::RefuseOutOfOrder(uint64_t batch_id, std::span<const SourceOrder::Range> ranges,
                                    const SourceOrder::Blocked& blocked) {
  log_.Debug("batch refused: an earlier batch of its source was refused and not resent yet",
             {{"session", id_},
              {"agent_id", agent_id_},
              {"batch_id", batch_id},
              {"source", blocked.source_id},
              {"start", blocked.start},
              {"resend_from", blocked.resume_at}});
  RefuseBatch(ranges, false,
              {batch_id, NackCode::out_of_order, kRetryOutOfOrderMs,
               "source " + std::to_string(blocked.source_id) + ": this batch starts at offset " +
                   std::to_string(blocked.start) +
                   " but an earlier batch of the source was refused; resend the batch starting "
                   "at or before offset " +
                   std::to_string(blocked.resume_at) + " first"});
}

void AgentSession::RefuseBatch(std::span<const SourceOrder::Range> ranges, bool dropped_for_good,
                               const protocol::NackMessage& nack) {
  order_.Refused(ranges, dropped_for_good);
  ++batches_nacked_;
  env_->metrics->CountNack(protocol::NackCodeName(nack.code));
  SendNack(nack);
}

void AgentSession::HandleHeartbeat(const protocol::fb::Heartbeat& table) {
  protocol::HeartbeatMessage heartbeat = protocol::ReadHeartbeat(table);
  if (heartbeat.reply) return;
  env_->metrics->heartbeats->Inc();
  heartbeat.reply = true;
  std::vector<uint8_t> frame;
  if (protocol::EncodeHeartbeat(heartbeat, &frame).ok()) Send(frame);
}

void AgentSession::OnPushDone(uint64_t batch_id, const Status& status,
                              const engine::PushOutcome& outcome) {
  if (inflight_.count(batch_id) == 0) return;
  if (status.ok()) {
    std::vector<uint8_t> frame;
    if (protocol::EncodeAck(batch_id, &frame).ok()) Send(frame);
    ++batches_acked_;
    env_->metrics->batches_acked->Inc();
    env_->metrics->CountEntries("accepted", outcome.accepted);
    env_->metrics->CountEntries("redelivered", outcome.redelivered);
    env_->metrics->CountEntries("rejected", outcome.rejected);
    if (outcome.rejected != 0) {
      log_.Warn(
          "entries rejected",
          {{"session", id_},
           {"agent_id", agent_id_},
           {"batch_id", batch_id},
           {"rejected", outcome.rejected},
           {"first", outcome.rejections.empty() ? std::string() : outcome.rejections.front()}});
    }
  } else {
    protocol::NackMessage nack = NackForPushError(batch_id, status);
    const log::Level level = nack.retry_after_ms != 0 && status.code() != StatusCode::kIOError
                                 ? log::Level::kDebug
                                 : log::Level::kWarn;
    log_.Log(level, "batch nacked",
             {{"session", id_},
              {"agent_id", agent_id_},
              {"batch_id", batch_id},
              {"code", protocol::NackCodeName(nack.code)},
              {"retry_after_ms", nack.retry_after_ms},
              {"error", status}});
    const Inflight& batch = inflight_.at(batch_id);
    const bool for_good = nack.code == NackCode::too_large || nack.code == NackCode::malformed;
    RefuseBatch(batch.ranges, for_good && batch.entries == 1, nack);
  }
  FinishBatch(batch_id);
}

void AgentSession::FinishBatch(uint64_t batch_id) {
  auto it = inflight_.find(batch_id);
  unacked_bytes_ -= it->second.wire_bytes;
  inflight_.erase(it);
  if (state_ != State::kReady) return;
  if (draining_ && inflight_.empty()) {
    SendGoodbyeAndEnd("aggregator shutting down", reconnect_after_ms_);
    return;
  }
  UpdateReading();
}

void AgentSession::SendNack(const protocol::NackMessage& nack) {
  std::vector<uint8_t> frame;
  if (protocol::EncodeNack(nack, &frame).ok()) {
    Send(frame);
    return;
  }
  // The reason made the frame too large: send it without one.
  protocol::NackMessage bare = nack;
  bare.reason.resize(std::min<size_t>(bare.reason.size(), 1024));
  if (protocol::EncodeNack(bare, &frame).ok()) Send(frame);
}

void AgentSession::Reject(NackCode code, const std::string& reason) {
  log_.Warn("closing agent connection", {{"session", id_},
                                         {"peer", stream_->peer().address},
                                         {"agent_id", agent_id_},
                                         {"code", protocol::NackCodeName(code)},
                                         {"reason", reason}});
  SendNack({0, code, 0, reason});
  SendGoodbyeAndEnd(reason, 0);
}

void AgentSession::SendGoodbyeAndEnd(const std::string& reason, uint32_t reconnect_after_ms) {
  if (state_ == State::kEnding || state_ == State::kClosed) return;
  std::vector<uint8_t> frame;
  if (protocol::EncodeGoodbye({reason.substr(0, 1024), reconnect_after_ms}, &frame).ok()) {
    Send(frame);
  }
  state_ = State::kEnding;
  if (idle_timer_ != time::TimerService::kInvalidTimerId) {
    env_->timers->Cancel(idle_timer_);
    idle_timer_ = time::TimerService::kInvalidTimerId;
  }
  stream_->Shutdown();
}

void AgentSession::Send(const std::vector<uint8_t>& frame) {
  stream_->Write(std::string(reinterpret_cast<const char*>(frame.data()), frame.size()));
}

void AgentSession::UpdateReading() {
  const bool pause = draining_ || unacked_bytes_ > env_->options->max_unacked_bytes;
  if (pause && !paused_) {
    stream_->PauseReading();
    paused_ = true;
  } else if (!pause && paused_) {
    stream_->ResumeReading();
    paused_ = false;
  }
}

void AgentSession::ScheduleIdleCheck(int64_t delay_ns) {
  std::weak_ptr<AgentSession> weak = weak_from_this();
  idle_timer_ = env_->timers->Schedule(delay_ns, [weak] {
    if (std::shared_ptr<AgentSession> self = weak.lock()) self->OnIdleCheck();
  });
}

void AgentSession::OnIdleCheck() {
  idle_timer_ = time::TimerService::kInvalidTimerId;
  if (state_ != State::kAwaitHello && state_ != State::kReady) return;
  const int64_t idle = env_->options->idle_timeout_ns;
  const int64_t silent = env_->clock->MonotonicNanos() - last_frame_ns_;
  if (silent < idle) {
    ScheduleIdleCheck(idle - silent);
    return;
  }
  env_->metrics->idle_timeouts->Inc();
  // A frame cut mid-way and then silence ends here too; the buffered bytes say so.
  const size_t partial = decoder_.buffered_bytes();
  const std::string reason =
      "idle timeout: no frame for " + Seconds(silent) +
      (partial == 0 ? std::string()
                    : "; " + std::to_string(partial) + " bytes of an unfinished frame dropped");
  log_.Log(partial == 0 ? log::Level::kInfo : log::Level::kWarn, "closing idle agent connection",
           {{"session", id_},
            {"agent_id", agent_id_},
            {"peer", stream_->peer().address},
            {"silent_for", Seconds(silent)},
            {"partial_frame_bytes", partial}});
  SendGoodbyeAndEnd(reason, 0);
}

void AgentSession::OnClosed(const Status& why) {
  state_ = State::kClosed;
  if (idle_timer_ != time::TimerService::kInvalidTimerId) {
    env_->timers->Cancel(idle_timer_);
    idle_timer_ = time::TimerService::kInvalidTimerId;
  }
  env_->metrics->sessions->Dec();
  if (why.ok()) {
    log_.Info("agent disconnected", {{"session", id_},
                                     {"agent_id", agent_id_},
                                     {"batches_acked", batches_acked_},
                                     {"batches_nacked", batches_nacked_},
                                     {"unanswered", inflight_.size()}});
  } else {
    log_.Warn("agent connection lost", {{"session", id_},
                                        {"agent_id", agent_id_},
                                        {"batches_acked", batches_acked_},
                                        {"unanswered", inflight_.size()},
                                        {"error", why}});
  }
  env_->on_closed(this);  // may destroy this session: nothing after it
}

}  // namespace silt::server
