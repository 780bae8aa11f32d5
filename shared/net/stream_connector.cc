#include "shared/net/stream_connector.h"

#include <cassert>
#include <cstring>
#include <utility>
#include <vector>

#include "shared/net/plain_stream.h"
#include "shared/net/tcp_socket.h"
#include "shared/net/tls_context.h"
#include "shared/net/tls_stream.h"

namespace silt::net {
namespace {

// One attempt: resolve, try each address in turn, then (with TLS) the handshake, all under one
// deadline. libuv requests and the timer live in heap blocks that outlive the attempt when it is
// abandoned while they are in flight.
class ConnectAttempt final : public PendingConnect, private TcpSocket::Events {
 public:
  ConnectAttempt(uv_loop_t* loop, ConnectOptions options, ConnectFn done);
  ~ConnectAttempt() override { Cancel(); }

  void Begin();
  void Cancel() override;

 private:
  struct Resolve {
    uv_getaddrinfo_t req;
    ConnectAttempt* owner;
  };
  struct Timer {
    uv_timer_t timer;
    ConnectAttempt* owner;
  };
  static void OnResolved(uv_getaddrinfo_t* req, int status, addrinfo* result);
  static void OnTimer(uv_timer_t* timer);
  void TryNextAddress();
  void StartTls();
  void Finish(Result<std::unique_ptr<ByteStream>> result);
  Status Failure(const std::string& cause) const;

  void OnSocketConnected(int status) override;
  void OnSocketData(std::string_view) override {}
  void OnSocketEof() override {}
  void OnSocketError(int, std::string_view) override {}

  uv_loop_t* loop_;
  ConnectOptions options_;
  ConnectFn done_;
  std::string where_;  // "host:port" for messages
  std::unique_ptr<TlsContext> tls_;
  Status early_error_;  // reported from the first timer tick
  Resolve* resolve_ = nullptr;
  Timer* timer_ = nullptr;
  std::vector<sockaddr_storage> addresses_;
  size_t next_address_ = 0;
  std::string last_error_;
  std::unique_ptr<TcpSocket> socket_;
  std::unique_ptr<TlsStream> handshake_;
};

ConnectAttempt::ConnectAttempt(uv_loop_t* loop, ConnectOptions options, ConnectFn done)
    : loop_(loop), options_(std::move(options)), done_(std::move(done)) {
  const bool ipv6 = options_.host.find(':') != std::string::npos;
  where_ = (ipv6 ? "[" + options_.host + "]" : options_.host) + ":" +
           std::to_string(options_.port);
}

Status ConnectAttempt::Failure(const std::string& cause) const {
  return Status::Unavailable("cannot connect to " + where_ + ": " + cause);
}

void ConnectAttempt::Begin() {
  timer_ = new Timer{{}, this};
  uv_timer_init(loop_, &timer_->timer);
  timer_->timer.data = timer_;
  if (options_.host.empty() || options_.port <= 0 || options_.port > 65535) {
    early_error_ = Status::InvalidArgument("connect to \"" + where_ +
                                           "\": host must be set and port in 1..65535");
  } else if (options_.tls.has_value()) {
    auto context = TlsContext::ForClient(*options_.tls);
    if (context.ok()) {
      tls_ = std::move(*context);
    } else {
      early_error_ = context.status().WithContext("connect to " + where_);
    }
  }
  if (!early_error_.ok()) {
    uv_timer_start(&timer_->timer, &ConnectAttempt::OnTimer, 0, 0);
    return;
  }
  uv_timer_start(&timer_->timer, &ConnectAttempt::OnTimer,
                 static_cast<uint64_t>(options_.timeout.count()), 0);
  resolve_ = new Resolve{{}, this};
  resolve_->req.data = resolve_;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string port = std::to_string(options_.port);
  int rc = uv_getaddrinfo(loop_, &resolve_->req, &ConnectAttempt::OnResolved,
                          options_.host.c_str(), port.c_str(), &hints);
  if (rc != 0) {
    delete std::exchange(resolve_, nullptr);
    early_error_ = Failure(std::string("cannot resolve the host: ") + uv_strerror(rc));
    uv_timer_start(&timer_->timer, &ConnectAttempt::OnTimer, 0, 0);
  }
}

void ConnectAttempt::OnResolved(uv_getaddrinfo_t* req, int status, addrinfo* result) {
  std::unique_ptr<Resolve> resolve(static_cast<Resolve*>(req->data));
  ConnectAttempt* self = resolve->owner;
  if (self == nullptr) {
    uv_freeaddrinfo(result);
    return;
  }
  self->resolve_ = nullptr;
  if (status != 0) {
    uv_freeaddrinfo(result);
    self->Finish(self->Failure(std::string("cannot resolve the host: ") + uv_strerror(status)));
    return;
  }
  for (addrinfo* info = result; info != nullptr; info = info->ai_next) {
    if (info->ai_family != AF_INET && info->ai_family != AF_INET6) continue;
    sockaddr_storage address{};
    std::memcpy(&address, info->ai_addr, info->ai_addrlen);
    self->addresses_.push_back(address);
  }
  uv_freeaddrinfo(result);
  self->TryNextAddress();
}

void ConnectAttempt::TryNextAddress() {
  while (next_address_ < addresses_.size()) {
    const sockaddr* address = reinterpret_cast<const sockaddr*>(&addresses_[next_address_++]);
    socket_ = std::make_unique<TcpSocket>(loop_);
    socket_->SetEvents(this);
    const int rc = socket_->Connect(address);
    if (rc == 0) return;
    last_error_ = FormatSocketAddress(address) + ": " + uv_strerror(rc);
    socket_.reset();
  }
  Finish(Failure(last_error_.empty() ? "the host has no IPv4 or IPv6 address" : last_error_));
}

void ConnectAttempt::OnSocketConnected(int status) {
  if (status != 0) {
    last_error_ = std::string(uv_strerror(status)) + " (" + uv_err_name(status) + ")";
    if (status == UV_ECONNREFUSED) last_error_ += "; is the server running and listening there?";
    socket_.reset();  // inside its own callback, which touches nothing afterwards
    TryNextAddress();
    return;
  }
  if (!tls_) {
    Finish(std::unique_ptr<ByteStream>(std::make_unique<PlainStream>(std::move(socket_))));
    return;
  }
  StartTls();
}

void ConnectAttempt::StartTls() {
  const std::string& name =
      options_.tls->server_name.empty() ? options_.host : options_.tls->server_name;
  auto ssl = tls_->NewClientSession(name);
  if (!ssl.ok()) {
    Finish(ssl.status().WithContext("connect to " + where_));
    return;
  }
  handshake_ = std::make_unique<TlsStream>(std::move(socket_), std::move(*ssl),
                                           TlsStream::Role::kClient);
  // The attempt's own timer bounds the handshake; the stream needs none.
  handshake_->StartHandshake(std::chrono::milliseconds(0),
                             [this](Status status, TlsFailureReason) {
                               std::unique_ptr<TlsStream> stream = std::move(handshake_);
                               if (!status.ok()) {
                                 Finish(Failure(std::string(status.message())));
                                 return;  // `stream` goes here, inside its close callback
                               }
                               Finish(std::unique_ptr<ByteStream>(std::move(stream)));
                             });
}

void ConnectAttempt::OnTimer(uv_timer_t* timer) {
  ConnectAttempt* self = static_cast<Timer*>(timer->data)->owner;
  if (self == nullptr) return;
  if (!self->early_error_.ok()) {
    self->Finish(self->early_error_);
    return;
  }
  const std::string phase = self->handshake_ ? "during the TLS handshake" : "connecting";
  self->Finish(self->Failure("timed out after " + std::to_string(self->options_.timeout.count()) +
                             " ms " + phase));
}

void ConnectAttempt::Finish(Result<std::unique_ptr<ByteStream>> result) {
  ConnectFn done = std::move(done_);
  done_ = nullptr;
  Cancel();
  if (done) done(std::move(result));  // may destroy this: nothing may follow
}

void ConnectAttempt::Cancel() {
  done_ = nullptr;
  if (resolve_ != nullptr) {
    resolve_->owner = nullptr;
    uv_cancel(reinterpret_cast<uv_req_t*>(&resolve_->req));  // the callback frees it
    resolve_ = nullptr;
  }
  if (timer_ != nullptr) {
    timer_->owner = nullptr;
    uv_close(reinterpret_cast<uv_handle_t*>(&timer_->timer),
             [](uv_handle_t* handle) { delete static_cast<Timer*>(handle->data); });
    timer_ = nullptr;
  }
  socket_.reset();
  handshake_.reset();
}

}  // namespace

std::unique_ptr<PendingConnect> Connect(uv_loop_t* loop, ConnectOptions options,
                                        ConnectFn done) {
  assert(loop != nullptr && done);
  TcpSocket::IgnoreSigpipe();
  auto attempt = std::make_unique<ConnectAttempt>(loop, std::move(options), std::move(done));
  attempt->Begin();
  return attempt;
}

}  // namespace silt::net
