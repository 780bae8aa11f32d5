#include "shared/http/server.h"

#include <signal.h>

#include <cassert>
#include <utility>

#include "shared/http/connection.h"
#include "shared/http/exchange.h"

namespace silt::http {
namespace {

constexpr size_t kReadBufferBytes = 64 * 1024;
// Connections over max_connections that still get a 503 answer; beyond, they are just closed.
constexpr size_t kMaxRejecting = 64;

// Writing to a socket the peer has closed raises SIGPIPE, whose default action kills the process;
// libuv does not block it. A process that serves HTTP must ignore it, so the server makes sure.
// Returns true when the disposition was changed.
bool IgnoreSigpipe() {
  struct sigaction current {};
  if (sigaction(SIGPIPE, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) return false;
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  return sigaction(SIGPIPE, &ignore, nullptr) == 0;
}

std::string BareHost(const std::string& host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

}  // namespace

struct HttpServer::Listener {
  uv_tcp_t handle;
  HttpServer* server;  // nullptr once the server is gone
};

Result<std::unique_ptr<HttpServer>> HttpServer::Start(uv_loop_t* loop, ServerOptions options,
                                                      Router router) {
  assert(loop != nullptr);
  SILT_RETURN_IF_ERROR(options.Validate());
  std::unique_ptr<HttpServer> server(new HttpServer());
  ServerContext& context = server->context_;
  context.loop = loop;
  if (options.logger == nullptr) {
    server->owned_logger_ = std::make_unique<log::Logger>();
    options.logger = server->owned_logger_.get();
  }
  if (options.clock == nullptr) {
    server->owned_clock_ = std::make_unique<time::SystemClock>();
    options.clock = server->owned_clock_.get();
  }
  if (options.metrics != nullptr) {
    auto metrics = ServerMetrics::Create(options.metrics, options.metrics_prefix);
    if (!metrics.ok()) return metrics.status().WithContext("registering http server metrics");
    server->metrics_ = std::move(*metrics);
  }
  context.logger = options.logger;
  context.clock = options.clock;
  context.log_component = options.name.empty() ? "http" : "http/" + options.name;
  context.metrics = server->metrics_.get();
  context.limits = options.limits();
  context.options = std::move(options);
  context.router = std::move(router);
  context.read_buffer.resize(kReadBufferBytes);
  context.on_closed = [raw = server.get()](Connection* c) { raw->OnConnectionClosed(c); };
  SILT_RETURN_IF_ERROR(server->Listen());
  if (IgnoreSigpipe()) {
    context.logger->Info(context.log_component,
                         "SIGPIPE was at its default (terminate); now ignored so a vanished "
                         "client cannot kill the process");
  }
  context.completions =
      CompletionQueue::Create(loop, [](const std::shared_ptr<Exchange>& exchange) {
        if (Connection* connection = exchange->connection()) {
          connection->ProcessExchange(*exchange);
        }
      });
  assert(context.completions != nullptr);
  context.logger->Info(context.log_component, "listening", {{"address", server->address()}});
  return server;
}

Status HttpServer::Listen() {
  const ServerOptions& options = context_.options;
  const std::string host = BareHost(options.host);
  sockaddr_storage addr{};
  if (uv_ip4_addr(host.c_str(), options.port, reinterpret_cast<sockaddr_in*>(&addr)) != 0 &&
      uv_ip6_addr(host.c_str(), options.port, reinterpret_cast<sockaddr_in6*>(&addr)) != 0) {
    return Status::InvalidArgument("http server option host = \"" + options.host +
                                   "\": not an IP address literal");
  }
  listener_ = new Listener();
  listener_->server = this;
  uv_tcp_init(context_.loop, &listener_->handle);
  listener_->handle.data = listener_;
  listener_closed_ = false;
  const std::string where = options.host + ":" + std::to_string(options.port);
  auto* stream = reinterpret_cast<uv_stream_t*>(&listener_->handle);
  int rc = uv_tcp_bind(&listener_->handle, reinterpret_cast<const sockaddr*>(&addr), 0);
  if (rc == 0) rc = uv_listen(stream, options.backlog, &HttpServer::OnConnection);
  if (rc != 0) {
    listener_->server = nullptr;
    StopListening();
    return Status::IOError("cannot listen for HTTP on " + where + ": " + uv_strerror(rc) +
                           " (is another process using the port, or is the address not local?)");
  }
  sockaddr_storage bound{};
  int len = sizeof(bound);
  uv_tcp_getsockname(&listener_->handle, reinterpret_cast<sockaddr*>(&bound), &len);
  port_ = bound.ss_family == AF_INET6
              ? ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port)
              : ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
  return Status::Ok();
}

HttpServer::~HttpServer() {
  shutdown_->done.clear();  // not called once the server is gone
  if (listener_ != nullptr) listener_->server = nullptr;
  StopListening();
  if (metrics_ != nullptr) {
    for (size_t i = 0; i < connections_.size(); ++i) metrics_->ConnectionClosed();
  }
  for (Connection* connection : connections_) connection->Detach();
  connections_.clear();
  if (context_.completions != nullptr) context_.completions->Close(nullptr);
}

std::string HttpServer::address() const {
  const std::string host = BareHost(context_.options.host);
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port_);
  return host + ":" + std::to_string(port_);
}

void HttpServer::OnConnection(uv_stream_t* stream, int status) {
  auto* listener = static_cast<Listener*>(stream->data);
  if (listener->server == nullptr) return;
  if (status < 0) {
    listener->server->context_.logger->Warn(listener->server->context_.log_component,
                                            "accept failed", {{"error", uv_strerror(status)}});
    return;
  }
  listener->server->Accept();
}

void HttpServer::Accept() {
  const size_t max = context_.options.max_connections;
  const bool reject = connections_.size() >= max;
  auto* connection = new Connection(&context_);
  connections_.insert(connection);
  if (connections_.size() > max + kMaxRejecting) {
    // Flooded: even 503 answers would pile up. Accept only to close at once.
    connection->Start(reinterpret_cast<uv_stream_t*>(&listener_->handle), /*reject=*/false);
    connection->Close();
    if (metrics_ != nullptr) {
      metrics_->ConnectionOpened();
      metrics_->ConnectionRejected();
    }
    return;
  }
  if (metrics_ != nullptr) {
    metrics_->ConnectionOpened();
    if (reject) metrics_->ConnectionRejected();
  }
  if (reject) {
    context_.logger->Warn(context_.log_component, "connection refused: too many connections",
                          {{"max_connections", context_.options.max_connections}});
  }
  connection->Start(reinterpret_cast<uv_stream_t*>(&listener_->handle), reject);
}

void HttpServer::OnConnectionClosed(Connection* connection) {
  connections_.erase(connection);
  if (metrics_ != nullptr) metrics_->ConnectionClosed();
  MaybeFinishShutdown();
}

void HttpServer::StopListening() {
  if (listener_ == nullptr) return;
  Listener* listener = std::exchange(listener_, nullptr);
  uv_close(reinterpret_cast<uv_handle_t*>(&listener->handle), &HttpServer::OnListenerClose);
}

void HttpServer::OnListenerClose(uv_handle_t* handle) {
  std::unique_ptr<Listener> listener(static_cast<Listener*>(handle->data));
  if (listener->server == nullptr) return;
  listener->server->listener_closed_ = true;
  listener->server->MaybeFinishShutdown();
}

void HttpServer::Shutdown(std::function<void()> done) {
  if (shutdown_->finished) {
    if (done) done();
    return;
  }
  if (done) shutdown_->done.push_back(std::move(done));
  if (!context_.shutting_down) {
    context_.shutting_down = true;
    context_.logger->Info(context_.log_component, "shutting down",
                          {{"open_connections", connections_.size()}});
    StopListening();
    // Copy: a connection may close (and leave the set) later, never during this loop.
    const std::vector<Connection*> open(connections_.begin(), connections_.end());
    for (Connection* connection : open) connection->OnServerShutdown();
  }
  MaybeFinishShutdown();
}

void HttpServer::Close() {
  context_.shutting_down = true;
  StopListening();
  const std::vector<Connection*> open(connections_.begin(), connections_.end());
  for (Connection* connection : open) connection->Close();
  MaybeFinishShutdown();
}

void HttpServer::MaybeFinishShutdown() {
  if (!context_.shutting_down || finishing_ || !listener_closed_ || !connections_.empty()) return;
  finishing_ = true;
  context_.completions->Close([state = shutdown_] {
    state->finished = true;
    std::vector<std::function<void()>> done = std::move(state->done);
    state->done.clear();
    for (auto& callback : done) callback();
  });
}

}  // namespace silt::http
