#include "aggregator/ingest/syslog/syslog_udp_receiver.h"

#include <arpa/inet.h>

#include <utility>

namespace silt::ingest {
namespace {

constexpr size_t kMaxBatchBytes = size_t{1} << 20;
constexpr size_t kMaxDatagram = 65536;

std::string SockaddrHost(const sockaddr* addr) {
  char text[INET6_ADDRSTRLEN] = {};
  if (addr->sa_family == AF_INET) {
    uv_ip4_name(reinterpret_cast<const sockaddr_in*>(addr), text, sizeof(text));
  } else if (addr->sa_family == AF_INET6) {
    uv_ip6_name(reinterpret_cast<const sockaddr_in6*>(addr), text, sizeof(text));
  }
  return text;
}

}  // namespace

SyslogUdpReceiver::SyslogUdpReceiver(const SyslogEnv* env)
    : env_(env),
      log_(env->logger, "syslog-udp"),
      buffer_(std::max(kMaxDatagram, env->options->max_message_size + 1)),
      batch_(&env->options->labels, env->pipeline),
      pusher_(std::make_shared<BatchPusher>(env, "udp", /*retry_when_exhausted=*/false)) {}

SyslogUdpReceiver::~SyslogUdpReceiver() {
  if (linger_timer_ != time::TimerService::kInvalidTimerId) env_->timers->Cancel(linger_timer_);
  CloseHandle();
}

Result<std::unique_ptr<SyslogUdpReceiver>> SyslogUdpReceiver::Start(uv_loop_t* loop,
                                                                    const SyslogEnv* env) {
  std::unique_ptr<SyslogUdpReceiver> self(new SyslogUdpReceiver(env));
  SILT_RETURN_IF_ERROR(self->Bind(loop));
  SyslogUdpReceiver* raw = self.get();
  raw->pusher_->set_on_progress([raw] { raw->MaybeFinishDrain(); });
  return self;
}

Status SyslogUdpReceiver::Bind(uv_loop_t* loop) {
  const SyslogOptions& o = *env_->options;
  const std::string where = o.udp_host + ":" + std::to_string(o.udp_port);
  handle_ = new uv_udp_t;
  uv_udp_init(loop, handle_);
  handle_->data = this;
  sockaddr_storage addr{};
  int rc = uv_ip4_addr(o.udp_host.c_str(), o.udp_port, reinterpret_cast<sockaddr_in*>(&addr));
  if (rc != 0)
    rc = uv_ip6_addr(o.udp_host.c_str(), o.udp_port, reinterpret_cast<sockaddr_in6*>(&addr));
  if (rc == 0) rc = uv_udp_bind(handle_, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc != 0) {
    return Status::IOError("cannot listen for syslog on UDP " + where + ": " + uv_strerror(rc) +
                           " (set syslog.udp_listen to a free address, or \"\" to disable)");
  }
  int size = static_cast<int>(std::min<size_t>(o.udp_receive_buffer, size_t{1} << 30));
  if (uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(handle_), &size) != 0) {
    log_.Warn("cannot set the UDP receive buffer", {{"requested", o.udp_receive_buffer}});
  }
  receive_buffer_ = 0;
  uv_recv_buffer_size(reinterpret_cast<uv_handle_t*>(handle_), &receive_buffer_);
  sockaddr_storage bound{};
  int len = sizeof(bound);
  uv_udp_getsockname(handle_, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  const std::string host = SockaddrHost(reinterpret_cast<const sockaddr*>(&bound));
  address_ = bound.ss_family == AF_INET6 ? "[" + host + "]:" + std::to_string(port_)
                                         : host + ":" + std::to_string(port_);
  rc = uv_udp_recv_start(
      handle_,
      [](uv_handle_t* h, size_t, uv_buf_t* buf) {
        auto* self = static_cast<SyslogUdpReceiver*>(h->data);
        *buf = uv_buf_init(self->buffer_.data(), static_cast<unsigned>(self->buffer_.size()));
      },
      [](uv_udp_t* h, ssize_t nread, const uv_buf_t* buf, const sockaddr* addr, unsigned flags) {
        static_cast<SyslogUdpReceiver*>(h->data)->OnDatagram(nread, buf, addr, flags);
      });
  if (rc != 0)
    return Status::IOError("cannot receive syslog on UDP " + where + ": " + uv_strerror(rc));
  return Status::Ok();
}

void SyslogUdpReceiver::OnDatagram(ssize_t nread, const uv_buf_t* buf, const sockaddr* addr,
                                   unsigned flags) {
  if (nread < 0) {
    log_.Warn("syslog UDP receive error", {{"error", uv_strerror(static_cast<int>(nread))}});
    return;
  }
  if (addr == nullptr || draining_) return;  // nothing more to read now
  const size_t size = static_cast<size_t>(nread);
  env_->metrics->received_bytes->WithLabels({"udp"}).Inc(size);
  const std::string peer = SockaddrHost(addr);
  if ((flags & UV_UDP_PARTIAL) != 0 || size > env_->options->max_message_size) {
    env_->metrics->oversize->WithLabels({"udp"}).Inc();
    log_.Warn("syslog message refused: longer than syslog.max_message_size",
              {{"peer", peer}, {"bytes", size}, {"limit", env_->options->max_message_size}});
    return;
  }
  ReceiveContext context;
  context.receive_time_ns = env_->clock->WallNanos();
  context.utc_offset_seconds = LocalUtcOffsetSeconds(context.receive_time_ns);
  const bool parsed = batch_.Add(std::string_view(buf->base, size), context, peer);
  env_->metrics->CountMessage("udp", parsed);
  if (batch_.bytes() >= kMaxBatchBytes) {
    Flush();
  } else if (linger_timer_ == time::TimerService::kInvalidTimerId) {
    linger_timer_ = env_->timers->Schedule(env_->options->udp_linger_ns, [this] {
      linger_timer_ = time::TimerService::kInvalidTimerId;
      Flush();
    });
  }
}

void SyslogUdpReceiver::Flush() {
  if (linger_timer_ != time::TimerService::kInvalidTimerId) {
    env_->timers->Cancel(linger_timer_);
    linger_timer_ = time::TimerService::kInvalidTimerId;
  }
  SyslogBatch full(&env_->options->labels, env_->pipeline);
  std::swap(full, batch_);
  pusher_->Submit(std::move(full));
}

void SyslogUdpReceiver::Drain(std::function<void()> done) {
  if (draining_) return;
  draining_ = true;
  drain_done_ = std::move(done);
  if (handle_ != nullptr) uv_udp_recv_stop(handle_);
  Flush();
  MaybeFinishDrain();
}

void SyslogUdpReceiver::MaybeFinishDrain() {
  if (!draining_ || !pusher_->idle() || handle_ == nullptr) return;
  CloseHandle();
}

void SyslogUdpReceiver::CloseHandle() {
  if (handle_ == nullptr) return;
  struct Closing {
    std::function<void()> done;
  };
  auto* closing = new Closing{std::move(drain_done_)};
  handle_->data = closing;
  uv_close(reinterpret_cast<uv_handle_t*>(handle_), [](uv_handle_t* h) {
    auto* c = static_cast<Closing*>(h->data);
    delete reinterpret_cast<uv_udp_t*>(h);
    if (c->done) c->done();
    delete c;
  });
  handle_ = nullptr;
}

}  // namespace silt::ingest
