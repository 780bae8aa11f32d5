#include "shared/net/tcp_socket.h"

#include <signal.h>

#include <array>
#include <cassert>
#include <utility>

namespace silt::net {
namespace {

constexpr size_t kReadBufferBytes = 64 * 1024;

}  // namespace

// The libuv handles: freed when the TCP handle, the timer and the defer timer are all closed.
struct TcpSocket::Handles {
  uv_tcp_t tcp;
  uv_timer_t timer;
  uv_timer_t defer;
  uv_shutdown_t shutdown_req;
  uv_connect_t connect_req;
  TcpSocket* owner = nullptr;  // nullptr once the socket is destroyed
  int open = 3;
  int socket_handles_closing = 0;  // tcp + timer, counted down by their close callbacks
  bool defer_closing = false;
  std::shared_ptr<void> token;
  std::array<char, kReadBufferBytes> buffer;
};

struct TcpSocket::WriteRequest {
  uv_write_t req;
  std::string parts[3];
  size_t counted = 0;
};

TcpSocket::TcpSocket(uv_loop_t* loop) : loop_(loop), handles_(new Handles()) {
  handles_->owner = this;
  uv_tcp_init(loop, &handles_->tcp);
  uv_timer_init(loop, &handles_->timer);
  uv_timer_init(loop, &handles_->defer);
  handles_->tcp.data = handles_;
  handles_->timer.data = handles_;
  handles_->defer.data = handles_;
}

TcpSocket::~TcpSocket() {
  handles_->owner = nullptr;
  Close();
  if (!handles_->defer_closing) {
    handles_->defer_closing = true;
    uv_close(reinterpret_cast<uv_handle_t*>(&handles_->defer), &TcpSocket::OnDeferHandleClose);
  }
}

Status TcpSocket::Accept(uv_stream_t* listener) {
  int rc = uv_accept(listener, reinterpret_cast<uv_stream_t*>(&handles_->tcp));
  if (rc != 0) return Status::IOError(std::string("accepting a connection: ") + uv_strerror(rc));
  uv_tcp_nodelay(&handles_->tcp, 1);
  return Status::Ok();
}

int TcpSocket::Connect(const sockaddr* address) {
  uv_tcp_nodelay(&handles_->tcp, 1);
  return uv_tcp_connect(&handles_->connect_req, &handles_->tcp, address, &TcpSocket::OnConnect);
}

std::string TcpSocket::PeerAddress() const {
  sockaddr_storage address{};
  int length = sizeof(address);
  if (uv_tcp_getpeername(&handles_->tcp, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    return "unknown peer";
  }
  return FormatSocketAddress(reinterpret_cast<const sockaddr*>(&address));
}

std::string FormatSocketAddress(const sockaddr* address) {
  // Appended piece by piece: GCC 12 at -O3 reports a false -Wrestrict on chains of operator+.
  char host[INET6_ADDRSTRLEN] = {};
  std::string out;
  uint16_t port = 0;
  if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    uv_ip6_name(in6, host, sizeof(host));
    out.append("[").append(host).append("]");
    port = ntohs(in6->sin6_port);
  } else {
    const auto* in4 = reinterpret_cast<const sockaddr_in*>(address);
    uv_ip4_name(in4, host, sizeof(host));
    out.append(host);
    port = ntohs(in4->sin_port);
  }
  out.append(":").append(std::to_string(port));
  return out;
}

void TcpSocket::Write(std::string bytes, size_t counted) {
  WriteParts(std::move(bytes), {}, {}, counted);
}

void TcpSocket::WriteParts(std::string head, std::string body, std::string tail, size_t counted) {
  if (closing_ || (head.empty() && body.empty() && tail.empty())) return;
  auto* request = new WriteRequest();
  request->parts[0] = std::move(head);
  request->parts[1] = std::move(body);
  request->parts[2] = std::move(tail);
  request->counted = counted;
  request->req.data = request;
  uv_buf_t bufs[3];
  unsigned count = 0;
  for (std::string& part : request->parts) {
    if (!part.empty()) bufs[count++] = uv_buf_init(part.data(), static_cast<unsigned>(part.size()));
  }
  int rc = uv_write(&request->req, reinterpret_cast<uv_stream_t*>(&handles_->tcp), bufs, count,
                    &TcpSocket::OnWrite);
  if (rc != 0) {
    delete request;
    if (events_ != nullptr) events_->OnSocketError(rc, "write");
    return;
  }
  queued_bytes_ += counted;
}

void TcpSocket::OnWrite(uv_write_t* req, int status) {
  std::unique_ptr<WriteRequest> request(static_cast<WriteRequest*>(req->data));
  auto* handles = static_cast<Handles*>(req->handle->data);
  if (handles->owner == nullptr) return;
  handles->owner->WriteDone(request->counted, status);
}

void TcpSocket::WriteDone(size_t counted, int status) {
  assert(queued_bytes_ >= counted);
  queued_bytes_ -= counted;
  if (closing_ || events_ == nullptr) return;
  if (status < 0) {
    events_->OnSocketError(status, "write");
    return;
  }
  if (counted > 0 && queued_bytes_ == 0) events_->OnSocketDrained();
}

void TcpSocket::StartReading() {
  if (reading_ || closing_) return;
  int rc = uv_read_start(reinterpret_cast<uv_stream_t*>(&handles_->tcp), &TcpSocket::OnAlloc,
                         &TcpSocket::OnRead);
  if (rc != 0) {
    if (events_ != nullptr) events_->OnSocketError(rc, "read");
    return;
  }
  reading_ = true;
}

void TcpSocket::StopReading() {
  if (!reading_ || closing_) return;
  uv_read_stop(reinterpret_cast<uv_stream_t*>(&handles_->tcp));
  reading_ = false;
}

void TcpSocket::OnAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  auto* handles = static_cast<Handles*>(handle->data);
  *buf = uv_buf_init(handles->buffer.data(), static_cast<unsigned>(handles->buffer.size()));
}

void TcpSocket::OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  auto* handles = static_cast<Handles*>(stream->data);
  TcpSocket* self = handles->owner;
  if (self == nullptr || self->closing_ || self->events_ == nullptr || nread == 0) return;
  if (nread > 0) {
    self->events_->OnSocketData(std::string_view(buf->base, static_cast<size_t>(nread)));
    return;
  }
  self->reading_ = false;  // libuv stops reading after EOF; after an error we stop too
  if (nread == UV_EOF) {
    self->events_->OnSocketEof();
    return;
  }
  uv_read_stop(stream);
  self->events_->OnSocketError(static_cast<int>(nread), "read");
}

void TcpSocket::Shutdown() {
  if (closing_) return;
  int rc = uv_shutdown(&handles_->shutdown_req, reinterpret_cast<uv_stream_t*>(&handles_->tcp),
                       &TcpSocket::OnShutdown);
  if (rc != 0 && events_ != nullptr) events_->OnSocketShutdown(rc);
}

void TcpSocket::OnShutdown(uv_shutdown_t* req, int status) {
  auto* handles = static_cast<Handles*>(req->handle->data);
  TcpSocket* self = handles->owner;
  if (self == nullptr || self->closing_ || self->events_ == nullptr) return;
  self->events_->OnSocketShutdown(status);
}

void TcpSocket::OnConnect(uv_connect_t* req, int status) {
  auto* handles = static_cast<Handles*>(req->handle->data);
  TcpSocket* self = handles->owner;
  if (self == nullptr || self->closing_ || self->events_ == nullptr) return;
  self->events_->OnSocketConnected(status);
}

void TcpSocket::StartTimer(std::chrono::milliseconds delay) {
  if (closing_) return;
  uv_timer_start(&handles_->timer, &TcpSocket::OnTimer, static_cast<uint64_t>(delay.count()), 0);
}

void TcpSocket::StopTimer() {
  if (!closing_) uv_timer_stop(&handles_->timer);
}

void TcpSocket::OnTimer(uv_timer_t* timer) {
  TcpSocket* self = static_cast<Handles*>(timer->data)->owner;
  if (self == nullptr || self->closing_ || self->events_ == nullptr) return;
  self->events_->OnSocketTimer();
}

void TcpSocket::Defer() {
  if (!handles_->defer_closing) uv_timer_start(&handles_->defer, &TcpSocket::OnDefer, 0, 0);
}

void TcpSocket::OnDefer(uv_timer_t* timer) {
  TcpSocket* self = static_cast<Handles*>(timer->data)->owner;
  if (self == nullptr || self->events_ == nullptr) return;
  self->events_->OnSocketDeferred();
}

void TcpSocket::Close() {
  if (closing_) return;
  closing_ = true;
  reading_ = false;
  handles_->socket_handles_closing = 2;
  uv_close(reinterpret_cast<uv_handle_t*>(&handles_->tcp), &TcpSocket::OnSocketHandleClose);
  uv_close(reinterpret_cast<uv_handle_t*>(&handles_->timer), &TcpSocket::OnSocketHandleClose);
}

void TcpSocket::HoldUntilClosed(std::shared_ptr<void> token) { handles_->token = std::move(token); }

void TcpSocket::OnSocketHandleClose(uv_handle_t* handle) {
  auto* handles = static_cast<Handles*>(handle->data);
  const bool socket_closed = --handles->socket_handles_closing == 0;
  if (socket_closed) handles->token.reset();
  TcpSocket* owner = handles->owner;
  if (--handles->open == 0) delete handles;  // only after the owner is gone (defer closed)
  if (socket_closed && owner != nullptr && owner->events_ != nullptr) {
    owner->events_->OnSocketClosed();  // may destroy the socket: nothing may follow
  }
}

void TcpSocket::OnDeferHandleClose(uv_handle_t* handle) {
  auto* handles = static_cast<Handles*>(handle->data);
  if (--handles->open == 0) delete handles;
}

bool TcpSocket::IgnoreSigpipe() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) return false;
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  return sigaction(SIGPIPE, &ignore, nullptr) == 0;
}

}  // namespace silt::net
