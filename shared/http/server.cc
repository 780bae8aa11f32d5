#include "shared/http/server.h"

#include <cassert>
#include <utility>

#include "shared/http/connection.h"
#include "shared/http/exchange.h"

namespace silt::http {
namespace {

// Connections over max_connections that still get a 503 answer; beyond, the listener closes them
// at once.
constexpr size_t kMaxRejecting = 64;

}  // namespace

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
  context.on_closed = [raw = server.get()](Connection* c) { raw->OnConnectionClosed(c); };
  SILT_RETURN_IF_ERROR(server->Listen());
  context.completions =
      CompletionQueue::Create(loop, [](const std::shared_ptr<Exchange>& exchange) {
        if (Connection* connection = exchange->connection()) {
          connection->ProcessExchange(*exchange);
        }
      });
  assert(context.completions != nullptr);
  return server;
}

Status HttpServer::Listen() {
  const ServerOptions& options = context_.options;
  net::ListenOptions listen;
  listen.host = options.host;
  listen.port = options.port;
  listen.tls = options.tls;
  listen.backlog = options.backlog;
  // The listener closes at once what even a 503 cannot be spent on; Accept() answers 503 above
  // max_connections. A TLS handshake must finish within header_timeout (slow clients).
  listen.max_connections = options.max_connections + kMaxRejecting;
  listen.handshake_timeout =
      std::chrono::milliseconds((options.header_timeout + 999'999) / 1'000'000);
  listen.component = context_.log_component;
  listen.on_refused = [this] { CountRefused(); };
  auto listener = net::StreamListener::Start(
      context_.loop, std::move(listen),
      [this](std::unique_ptr<net::ByteStream> stream) { Accept(std::move(stream)); },
      context_.logger);
  if (!listener.ok()) return listener.status().WithContext("http server");
  listener_ = std::move(*listener);
  listener_closed_ = false;
  port_ = listener_->port();
  address_ = listener_->address();
  return Status::Ok();
}

HttpServer::~HttpServer() {
  shutdown_->done.clear();  // not called once the server is gone
  listener_.reset();        // closes the listening socket and any handshake in progress
  if (metrics_ != nullptr) {
    for (size_t i = 0; i < connections_.size(); ++i) metrics_->ConnectionClosed();
  }
  for (Connection* connection : connections_) connection->Detach();
  connections_.clear();
  if (context_.completions != nullptr) context_.completions->Close(nullptr);
}

Status HttpServer::ReloadTls() {
  if (listener_ == nullptr || listener_closing_) return Status::Ok();
  return listener_->Reload();
}

void HttpServer::Accept(std::unique_ptr<net::ByteStream> stream) {
  const bool reject = connections_.size() >= context_.options.max_connections;
  auto* connection = new Connection(&context_, std::move(stream));
  connections_.insert(connection);
  if (metrics_ != nullptr) {
    metrics_->ConnectionOpened();
    if (reject) metrics_->ConnectionRejected();
  }
  if (reject) {
    context_.logger->Warn(context_.log_component, "connection refused: too many connections",
                          {{"max_connections", context_.options.max_connections}});
  }
  connection->Start(reject);
}

void HttpServer::CountRefused() {
  if (metrics_ == nullptr || listener_ == nullptr) return;
  const net::ListenerStats& stats = listener_->stats();
  for (; counted_.rejected_over_limit < stats.rejected_over_limit; ++counted_.rejected_over_limit) {
    metrics_->ConnectionRejected();
  }
  for (; counted_.handshake_failures < stats.handshake_failures; ++counted_.handshake_failures) {
    metrics_->HandshakeFailed();
  }
}

void HttpServer::OnConnectionClosed(Connection* connection) {
  connections_.erase(connection);
  if (metrics_ != nullptr) metrics_->ConnectionClosed();
  MaybeFinishShutdown();
}

void HttpServer::StopListening() {
  if (listener_ == nullptr || listener_closing_) return;
  listener_closing_ = true;
  listener_->Close([this] {
    listener_closed_ = true;
    MaybeFinishShutdown();
  });
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
