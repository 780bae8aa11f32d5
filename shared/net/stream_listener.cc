#include "shared/net/stream_listener.h"

#include <cassert>
#include <unordered_map>
#include <utility>
#include <vector>

#include "shared/net/plain_stream.h"
#include "shared/net/tcp_socket.h"
#include "shared/net/tls_context.h"
#include "shared/net/tls_stream.h"

namespace silt::net {
namespace {

std::string BareHost(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

class TcpStreamListener final : public StreamListener {
 public:
  TcpStreamListener(uv_loop_t* loop, ListenOptions options, AcceptFn on_accept, log::Logger* logger)
      : loop_(loop),
        options_(std::move(options)),
        on_accept_(std::move(on_accept)),
        logger_(logger) {}
  ~TcpStreamListener() override;

  Status Listen();
  Status BuildTlsContext();

  int port() const override { return port_; }
  std::string address() const override;
  Status Reload() override;
  void Close(std::function<void()> done) override;
  const ListenerStats& stats() const override { return stats_; }

 private:
  // The listening handle; freed by its close callback, which may run after the listener is gone.
  struct Handle {
    uv_tcp_t tcp;
    TcpStreamListener* owner = nullptr;
    std::vector<std::function<void()>> done;
  };
  static void OnConnection(uv_stream_t* stream, int status);
  static void OnClose(uv_handle_t* handle);
  void Accept();
  void StartHandshake(std::unique_ptr<TcpSocket> socket);
  void HandshakeDone(TlsStream* stream, Status status, TlsFailureReason reason);
  void StopListening();

  uv_loop_t* loop_;
  ListenOptions options_;
  AcceptFn on_accept_;
  log::Logger* logger_;
  Handle* handle_ = nullptr;  // nullptr once its close callback ran
  bool closing_ = false;
  int port_ = 0;
  ListenerStats stats_;
  std::unique_ptr<TlsContext> tls_;
  // Streams accepted and not closed yet (handed out or in handshake); shared with their sockets.
  std::shared_ptr<size_t> open_connections_ = std::make_shared<size_t>(0);
  std::unordered_map<TlsStream*, std::unique_ptr<TlsStream>> handshakes_;
};

TcpStreamListener::~TcpStreamListener() {
  if (handle_ == nullptr) return;
  handle_->owner = nullptr;
  handle_->done.clear();
  StopListening();
}

Status TcpStreamListener::BuildTlsContext() {
  if (!options_.tls.has_value()) return Status::Ok();
  auto context = TlsContext::ForServer(*options_.tls);
  if (!context.ok()) return context.status().WithContext("listener " + options_.component);
  tls_ = std::move(*context);
  return Status::Ok();
}

Status TcpStreamListener::Listen() {
  const std::string host = BareHost(options_.host);
  const std::string where = options_.host + ":" + std::to_string(options_.port);
  if (options_.port < 0 || options_.port > 65535) {
    return Status::InvalidArgument("listener " + options_.component + ": port " +
                                   std::to_string(options_.port) + " is not in 0..65535");
  }
  sockaddr_storage addr{};
  if (uv_ip4_addr(host.c_str(), options_.port, reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
      uv_ip6_addr(host.c_str(), options_.port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0) {
    return Status::InvalidArgument("listener " + options_.component + ": host \"" + options_.host +
                                   "\" is not an IP address literal");
  }
  handle_ = new Handle();
  handle_->owner = this;
  uv_tcp_init(loop_, &handle_->tcp);
  handle_->tcp.data = handle_;
  int rc = uv_tcp_bind(&handle_->tcp, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) {
    rc = uv_listen(reinterpret_cast<uv_stream_t*>(&handle_->tcp), options_.backlog,
                   &TcpStreamListener::OnConnection);
  }
  if (rc != 0) {
    return Status::IOError("listener " + options_.component + ": cannot listen on " + where + ": " +
                           uv_strerror(rc) +
                           " (is another process using the port, or is the address not local?)");
  }
  sockaddr_storage bound{};
  int length = sizeof(bound);
  uv_tcp_getsockname(&handle_->tcp, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = bound.ss_family == AF_INET6
              ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
              : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  return Status::Ok();
}

std::string TcpStreamListener::address() const {
  const std::string host = BareHost(options_.host);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port_);
  return host + ":" + std::to_string(port_);
}

Status TcpStreamListener::Reload() {
  if (!options_.tls.has_value()) return Status::Ok();
  auto context = TlsContext::ForServer(*options_.tls);
  if (!context.ok()) {
    Status error = context.status().WithContext("reloading TLS files of listener " +
                                                options_.component + "; keeping the old ones");
    logger_->Error(options_.component, "TLS reload failed", {{"error", error}});
    return error;
  }
  tls_ = std::move(*context);
  logger_->Info(options_.component, "TLS certificate and key reloaded",
                {{"cert_file", options_.tls->cert_file}});
  return Status::Ok();
}

void TcpStreamListener::Close(std::function<void()> done) {
  if (handle_ == nullptr) {  // already closed
    if (done) done();
    return;
  }
  if (done) handle_->done.push_back(std::move(done));
  handshakes_.clear();
  StopListening();
}

void TcpStreamListener::StopListening() {
  if (handle_ == nullptr || closing_) return;
  closing_ = true;
  uv_close(reinterpret_cast<uv_handle_t*>(&handle_->tcp), &TcpStreamListener::OnClose);
}

void TcpStreamListener::OnClose(uv_handle_t* handle) {
  std::unique_ptr<Handle> owned(static_cast<Handle*>(handle->data));
  if (owned->owner != nullptr) owned->owner->handle_ = nullptr;
  std::vector<std::function<void()>> done = std::move(owned->done);
  owned.reset();
  for (auto& callback : done) callback();
}

void TcpStreamListener::OnConnection(uv_stream_t* stream, int status) {
  TcpStreamListener* self = static_cast<Handle*>(stream->data)->owner;
  if (self == nullptr || self->closing_) return;
  if (status < 0) {
    self->logger_->Warn(self->options_.component, "accept failed",
                        {{"error", uv_strerror(status)}});
    return;
  }
  self->Accept();
}

void TcpStreamListener::Accept() {
  auto socket = std::make_unique<TcpSocket>(loop_);
  Status accepted = socket->Accept(reinterpret_cast<uv_stream_t*>(&handle_->tcp));
  if (!accepted.ok()) {
    logger_->Warn(options_.component, "accept failed", {{"error", accepted}});
    return;
  }
  if (*open_connections_ >= options_.max_connections) {
    ++stats_.rejected_over_limit;
    logger_->Warn(options_.component, "connection closed: too many connections",
                  {{"peer", socket->PeerAddress()},
                   {"max_connections", options_.max_connections},
                   {"rejected_total", stats_.rejected_over_limit}});
    if (options_.on_refused) options_.on_refused();
    return;  // destroying the socket closes it
  }
  ++*open_connections_;
  socket->HoldUntilClosed(
      std::shared_ptr<void>(nullptr, [count = open_connections_](void*) { --*count; }));
  if (!tls_) {
    ++stats_.accepted;
    on_accept_(std::make_unique<PlainStream>(std::move(socket)));
    return;
  }
  StartHandshake(std::move(socket));
}

void TcpStreamListener::StartHandshake(std::unique_ptr<TcpSocket> socket) {
  auto ssl = tls_->NewServerSession();
  if (!ssl.ok()) {
    ++stats_.handshake_failures;
    logger_->Error(options_.component, "cannot start a TLS session", {{"error", ssl.status()}});
    if (options_.on_refused) options_.on_refused();
    return;
  }
  auto stream =
      std::make_unique<TlsStream>(std::move(socket), std::move(*ssl), TlsStream::Role::kServer);
  TlsStream* raw = stream.get();
  handshakes_.emplace(raw, std::move(stream));
  raw->StartHandshake(options_.handshake_timeout,
                      [this, raw](Status status, TlsFailureReason reason) {
                        HandshakeDone(raw, std::move(status), reason);
                      });
}

void TcpStreamListener::HandshakeDone(TlsStream* raw, Status status, TlsFailureReason reason) {
  auto it = handshakes_.find(raw);
  assert(it != handshakes_.end());
  std::unique_ptr<TlsStream> stream = std::move(it->second);
  handshakes_.erase(it);
  if (!status.ok()) {
    ++stats_.handshake_failures;
    logger_->Warn(options_.component, "TLS handshake failed",
                  {{"peer", stream->peer().address},
                   {"reason", TlsFailureReasonName(reason)},
                   {"error", status}});
    if (options_.on_refused) options_.on_refused();
    return;  // the stream is destroyed here, inside its close callback, which allows it
  }
  ++stats_.accepted;
  logger_->Debug(options_.component, "TLS connection accepted",
                 {{"peer", stream->peer().address},
                  {"tls_version", stream->peer().tls_version},
                  {"cipher", stream->peer().cipher},
                  {"client_cn", stream->peer().client_common_name}});
  on_accept_(std::move(stream));
}

}  // namespace

Result<std::unique_ptr<StreamListener>> StreamListener::Start(uv_loop_t* loop,
                                                              ListenOptions options,
                                                              AcceptFn on_accept,
                                                              log::Logger* logger) {
  assert(loop != nullptr && logger != nullptr && on_accept);
  if (options.max_connections == 0) {
    return Status::InvalidArgument("listener " + options.component +
                                   ": max_connections must be at least 1");
  }
  if (options.backlog < 1) {
    return Status::InvalidArgument("listener " + options.component +
                                   ": backlog must be at least 1");
  }
  const bool tls = options.tls.has_value();
  const std::string component = options.component;
  auto listener =
      std::make_unique<TcpStreamListener>(loop, std::move(options), std::move(on_accept), logger);
  SILT_RETURN_IF_ERROR(listener->BuildTlsContext());
  SILT_RETURN_IF_ERROR(listener->Listen());
  if (TcpSocket::IgnoreSigpipe()) {
    logger->Info(component,
                 "SIGPIPE was at its default (terminate); now ignored so a vanished "
                 "peer cannot kill the process");
  }
  logger->Info(component, "listening", {{"address", listener->address()}, {"tls", tls}});
  return std::unique_ptr<StreamListener>(std::move(listener));
}

}  // namespace silt::net
