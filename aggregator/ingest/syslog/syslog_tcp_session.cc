#include "aggregator/ingest/syslog/syslog_tcp_session.h"

#include <utility>

namespace silt::ingest {
namespace {

// A batch is handed over when a read ends or when it holds this much.
constexpr size_t kMaxBatchBytes = size_t{1} << 20;

std::string_view FramingName(Framing framing) {
  return framing == Framing::kOctetCounting ? "octet-counting" : "lf";
}

}  // namespace

std::string HostOfAddress(std::string_view address) {
  const size_t colon = address.rfind(':');
  std::string_view host = colon == std::string_view::npos ? address : address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::string(host);
}

SyslogTcpSession::SyslogTcpSession(uint64_t id, std::unique_ptr<net::ByteStream> stream,
                                   const SyslogEnv* env,
                                   std::function<void(SyslogTcpSession*)> on_finished)
    : id_(id),
      stream_(std::move(stream)),
      env_(env),
      on_finished_(std::move(on_finished)),
      log_(env->logger, "syslog-tcp"),
      peer_(stream_->peer().address),
      peer_host_(HostOfAddress(peer_)),
      framer_(env->options->max_message_size, this),
      batch_(&env->options->labels, env->pipeline),
      pusher_(std::make_shared<BatchPusher>(env, "tcp", /*retry_when_exhausted=*/true)) {}

SyslogTcpSession::~SyslogTcpSession() {
  if (!closed_) env_->metrics->connections->Dec();
  stream_.reset();  // closes without OnClosed
}

void SyslogTcpSession::Start() {
  env_->metrics->connections->Inc();
  pusher_->set_on_progress([this] {
    UpdateFlow();
    MaybeFinish();
  });
  log_.Debug("syslog connection", {{"peer", peer_}, {"tls", stream_->peer().tls}});
  stream_->SetHandler(this);
}

void SyslogTcpSession::OnData(std::string_view bytes) {
  if (draining_) return;
  env_->metrics->received_bytes->WithLabels({"tcp"}).Inc(bytes.size());
  context_.receive_time_ns = env_->clock->WallNanos();
  context_.utc_offset_seconds = LocalUtcOffsetSeconds(context_.receive_time_ns);
  Status framed = framer_.Feed(bytes);
  Flush();
  if (!framed.ok()) {
    env_->metrics->framing_errors->Inc();
    log_.Warn(
        "syslog framing lost; closing the connection (send octet counts of at most 9 "
        "digits, or LF-terminated messages)",
        {{"peer", peer_}, {"error", framed}});
    stream_->Close();
    return;
  }
  UpdateFlow();
}

void SyslogTcpSession::OnMessage(std::string_view message, Framing) {
  if (batch_.bytes() >= kMaxBatchBytes) Flush();
  const bool parsed = batch_.Add(message, context_, peer_host_);
  env_->metrics->CountMessage("tcp", parsed);
}

void SyslogTcpSession::OnOversize(size_t size, Framing framing) {
  env_->metrics->oversize->WithLabels({"tcp"}).Inc();
  log_.Warn("syslog message refused: longer than syslog.max_message_size",
            {{"peer", peer_},
             {"bytes", size},
             {"limit", env_->options->max_message_size},
             {"framing", FramingName(framing)}});
}

void SyslogTcpSession::Flush() {
  if (batch_.empty()) return;
  SyslogBatch full(&env_->options->labels, env_->pipeline);
  std::swap(full, batch_);
  pusher_->Submit(std::move(full));
}

void SyslogTcpSession::UpdateFlow() {
  if (closed_) return;
  if (draining_) {
    if (pusher_->idle()) stream_->Close();
    return;
  }
  const bool hold =
      pusher_->retrying() || pusher_->pending_bytes() > env_->options->max_pending_bytes;
  if (hold && !paused_) {
    stream_->PauseReading();
    paused_ = true;
  } else if (!hold && paused_) {
    stream_->ResumeReading();
    paused_ = false;
  }
}

void SyslogTcpSession::OnClosed(const Status& why) {
  closed_ = true;
  env_->metrics->connections->Dec();
  framer_.Finish();
  Flush();
  if (!why.ok()) log_.Info("syslog connection ended", {{"peer", peer_}, {"reason", why}});
  MaybeFinish();
}

void SyslogTcpSession::Drain() {
  if (draining_ || closed_) return;
  draining_ = true;
  stream_->PauseReading();
  framer_.Finish();
  Flush();
  UpdateFlow();
}

void SyslogTcpSession::Abort() {
  aborted_ = true;
  if (!closed_) stream_->Close();
  MaybeFinish();
}

void SyslogTcpSession::MaybeFinish() {
  if (finished_ || !closed_ || (!pusher_->idle() && !aborted_)) return;
  finished_ = true;
  on_finished_(this);
}

}  // namespace silt::ingest
