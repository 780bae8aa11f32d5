#include "aggregator/server/agent_listener.h"

#include <utility>
#include <vector>

namespace silt::server {

AgentListener::AgentListener(uv_loop_t* loop, AgentListenerOptions options, log::Logger* logger)
    : loop_(loop), options_(std::move(options)), log_(logger, "agent-listener"), timers_(loop) {}

AgentListener::~AgentListener() {
  env_.on_closed = [](AgentSession*) {};
  sessions_.clear();  // streams close without OnClosed
  timers_.Close();
  if (env_.mailbox != nullptr) env_.mailbox->Close();
  if (listener_ != nullptr && !listener_closed_) listener_->Close([] {});
}

Result<std::unique_ptr<AgentListener>> AgentListener::Start(
    uv_loop_t* loop, AgentListenerOptions options, PushFn push, metrics::Registry* registry,
    log::Logger* logger, const time::Clock* clock) {
  std::unique_ptr<AgentListener> self(new AgentListener(loop, std::move(options), logger));
  SILT_ASSIGN_OR_RETURN(self->metrics_, AgentServerMetrics::Register(registry));
  SessionEnv& env = self->env_;
  env.options = &self->options_.session;
  env.auth = &self->options_.auth;
  env.push = std::move(push);
  env.mailbox = CompletionMailbox::Create(loop);
  if (env.mailbox == nullptr) return Status::IOError("cannot create the agent completion handle");
  env.timers = &self->timers_;
  env.clock = clock;
  env.metrics = &self->metrics_;
  env.logger = logger;
  AgentListener* raw = self.get();
  env.on_closed = [raw](AgentSession* session) { raw->OnSessionClosed(session); };
  SILT_ASSIGN_OR_RETURN(
      self->listener_,
      net::StreamListener::Start(
          loop, self->options_.listen,
          [raw](std::unique_ptr<net::ByteStream> stream) { raw->Accept(std::move(stream)); },
          logger));
  return self;
}

void AgentListener::Accept(std::unique_ptr<net::ByteStream> stream) {
  if (draining_) {
    stream->Close();  // destroyed at once: closes without OnClosed
    return;
  }
  const uint64_t id = next_session_id_++;
  auto session = std::make_shared<AgentSession>(id, std::move(stream), &env_);
  sessions_.emplace(id, session);
  session->Start();
}

void AgentListener::OnSessionClosed(AgentSession* session) {
  // Keep the session alive until this callback stack has unwound: it is the caller.
  auto it = sessions_.find(session->id());
  if (it == sessions_.end()) return;
  std::shared_ptr<AgentSession> keep = std::move(it->second);
  sessions_.erase(it);
  env_.mailbox->Post([keep] {});  // destroyed on a later loop turn
  if (draining_) MaybeFinishDrain();
}

void AgentListener::Drain(std::function<void()> done) {
  if (draining_) return;
  draining_ = true;
  drain_done_ = std::move(done);
  log_.Info("draining agent connections",
            {{"sessions", sessions_.size()}, {"reconnect_after_ms", options_.reconnect_after_ms}});
  listener_->Close([this] {
    listener_closed_ = true;
    MaybeFinishDrain();
  });
  drain_timer_ = timers_.Schedule(options_.drain_timeout_ns, [this] {
    drain_timer_ = time::TimerService::kInvalidTimerId;
    if (sessions_.empty()) return;
    log_.Warn("drain timeout: closing agent connections with batches unanswered",
              {{"sessions", sessions_.size()}});
    std::vector<std::shared_ptr<AgentSession>> open;
    for (auto& [id, session] : sessions_) open.push_back(session);
    for (auto& session : open) session->Abort();
  });
  std::vector<std::shared_ptr<AgentSession>> open;
  for (auto& [id, session] : sessions_) open.push_back(session);
  for (auto& session : open) session->Drain(options_.reconnect_after_ms);
  MaybeFinishDrain();
}

void AgentListener::MaybeFinishDrain() {
  if (finished_ || !listener_closed_ || !sessions_.empty()) return;
  finished_ = true;
  if (drain_timer_ != time::TimerService::kInvalidTimerId) timers_.Cancel(drain_timer_);
  timers_.Close();
  // The mailbox delivers the last posted work (released sessions) before it is closed.
  std::shared_ptr<CompletionMailbox> mailbox = env_.mailbox;
  std::function<void()> done = std::move(drain_done_);
  mailbox->Post([mailbox, done = std::move(done)] {
    mailbox->Close();
    if (done) done();
  });
}

}  // namespace silt::server
