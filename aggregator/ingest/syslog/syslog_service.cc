#include "aggregator/ingest/syslog/syslog_service.h"

#include <utility>
#include <vector>

namespace silt::ingest {

SyslogService::SyslogService(uv_loop_t* loop, SyslogOptions options, log::Logger* logger)
    : loop_(loop), options_(std::move(options)), log_(logger, "syslog"), timers_(loop) {}

SyslogService::~SyslogService() {
  sessions_.clear();  // streams close without callbacks
  udp_.reset();
  timers_.Close();
  if (env_.mailbox != nullptr) env_.mailbox->Close();
  if (listener_ != nullptr && !listener_closed_) listener_->Close([] {});
}

Result<std::unique_ptr<SyslogService>> SyslogService::Start(uv_loop_t* loop, SyslogOptions options,
                                                            server::PushFn push,
                                                            metrics::Registry* registry,
                                                            log::Logger* logger,
                                                            const time::Clock* clock) {
  std::unique_ptr<SyslogService> self(new SyslogService(loop, std::move(options), logger));
  SILT_ASSIGN_OR_RETURN(self->metrics_, SyslogMetrics::Register(registry));
  SILT_ASSIGN_OR_RETURN(
      self->pipeline_,
      ListenerPipeline::Create(
          self->options_.pipeline,
          {.listener = "syslog", .registry = registry, .logger = logger, .clock = clock}));
  SyslogEnv& env = self->env_;
  env.options = &self->options_;
  env.metrics = &self->metrics_;
  env.pipeline = self->pipeline_.get();
  env.push = std::move(push);
  env.mailbox = server::CompletionMailbox::Create(loop);
  if (env.mailbox == nullptr) return Status::IOError("cannot create the syslog completion handle");
  env.timers = &self->timers_;
  env.clock = clock;
  env.logger = logger;
  SyslogService* raw = self.get();
  const size_t stages = self->options_.pipeline.stages.size();
  if (self->options_.tcp_enabled) {
    SILT_ASSIGN_OR_RETURN(self->listener_, net::StreamListener::Start(
                                               loop, self->options_.tcp,
                                               [raw](std::unique_ptr<net::ByteStream> stream) {
                                                 raw->Accept(std::move(stream));
                                               },
                                               logger));
    self->log_.Info("syslog listener ready", {{"transport", "tcp"},
                                              {"address", self->listener_->address()},
                                              {"tls", self->options_.tcp.tls.has_value()},
                                              {"tenant", self->options_.tenant},
                                              {"pipeline_stages", stages}});
  } else {
    self->listener_closed_ = true;
  }
  if (self->options_.udp_enabled) {
    SILT_ASSIGN_OR_RETURN(self->udp_, SyslogUdpReceiver::Start(loop, &self->env_));
    self->log_.Info("syslog listener ready", {{"transport", "udp"},
                                              {"address", self->udp_->address()},
                                              {"receive_buffer", self->udp_->receive_buffer()},
                                              {"tenant", self->options_.tenant},
                                              {"pipeline_stages", stages}});
  } else {
    self->udp_closed_ = true;
  }
  return self;
}

std::string SyslogService::tcp_address() const {
  return listener_ != nullptr ? listener_->address() : std::string();
}

std::string SyslogService::udp_address() const {
  return udp_ != nullptr ? udp_->address() : std::string();
}

Status SyslogService::Reload() { return listener_ != nullptr ? listener_->Reload() : Status::Ok(); }

void SyslogService::Accept(std::unique_ptr<net::ByteStream> stream) {
  if (draining_) {
    stream->Close();
    return;
  }
  const uint64_t id = next_session_id_++;
  auto session = std::make_unique<SyslogTcpSession>(
      id, std::move(stream), &env_,
      [this](SyslogTcpSession* finished) { OnSessionFinished(finished); });
  SyslogTcpSession* raw = session.get();
  sessions_.emplace(id, std::move(session));
  raw->Start();
}

void SyslogService::OnSessionFinished(SyslogTcpSession* session) {
  auto it = sessions_.find(session->id());
  if (it == sessions_.end()) return;
  // The session is on this call stack: destroy it on a later loop turn.
  std::shared_ptr<SyslogTcpSession> keep(std::move(it->second));
  sessions_.erase(it);
  env_.mailbox->Post([keep] {});
  if (draining_) MaybeFinishDrain();
}

void SyslogService::Drain(std::function<void()> done) {
  if (draining_) return;
  draining_ = true;
  drain_done_ = std::move(done);
  log_.Info("draining syslog listeners", {{"connections", sessions_.size()}});
  if (listener_ != nullptr && !listener_closed_) {
    listener_->Close([this] {
      listener_closed_ = true;
      MaybeFinishDrain();
    });
  }
  if (udp_ != nullptr) {
    udp_->Drain([this] {
      udp_closed_ = true;
      MaybeFinishDrain();
    });
  }
  drain_timer_ = timers_.Schedule(options_.drain_timeout_ns, [this] {
    drain_timer_ = time::TimerService::kInvalidTimerId;
    log_.Warn("syslog drain timeout: closing connections with messages not yet stored",
              {{"connections", sessions_.size()}});
    std::vector<SyslogTcpSession*> open;
    for (auto& [id, session] : sessions_) open.push_back(session.get());
    for (SyslogTcpSession* session : open) session->Abort();
    if (!udp_closed_) udp_.reset();  // gives up its queued batch; closes the handle
  });
  std::vector<SyslogTcpSession*> open;
  for (auto& [id, session] : sessions_) open.push_back(session.get());
  for (SyslogTcpSession* session : open) session->Drain();
  MaybeFinishDrain();
}

void SyslogService::MaybeFinishDrain() {
  if (finished_ || !listener_closed_ || !udp_closed_ || !sessions_.empty()) return;
  finished_ = true;
  if (drain_timer_ != time::TimerService::kInvalidTimerId) timers_.Cancel(drain_timer_);
  timers_.Close();
  std::shared_ptr<server::CompletionMailbox> mailbox = env_.mailbox;
  std::function<void()> done = std::move(drain_done_);
  mailbox->Post([mailbox, done = std::move(done)] {
    mailbox->Close();
    if (done) done();
  });
}

}  // namespace silt::ingest
