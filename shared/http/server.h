// HttpServer: an HTTP/1.1 server on a caller's libuv loop, for the agent's /metrics port and the
// aggregator's Loki-compatible API. It listens on an IPv4 or IPv6 literal address through a
// net::StreamListener, plain or with TLS (options.tls; one code path: connections are
// ByteStreams either way), keeps connections alive, answers pipelined requests in order, and
// enforces the limits and timeouts of ServerOptions. Requests are routed by a Router; handlers
// answer through a Responder, now or later and from any thread (answers reach the loop through
// uv_async).
//
// Threading: create, use and destroy the server on the loop's thread; handlers run there too.
// Only Responders may be used elsewhere.
//
// Signals: writing to a client that has gone raises SIGPIPE; Start() sets it to SIG_IGN when it is
// still at the default (terminate), and logs that it did. A handler installed by main is kept.
//
// TLS: a failed handshake (plaintext client, timeout, untrusted client certificate) never reaches
// HTTP; it is logged by the listener and counted in <prefix>_tls_handshake_failures_total.
//
// Shutdown: Shutdown(done) stops accepting, closes idle connections, lets requests in flight be
// answered (each then gets "Connection: close"), and calls `done` on the loop once every handle
// is closed; after that uv_loop_close() can succeed. Close() does the same without waiting for
// requests in flight. Destroying the server closes everything at once; the loop must then run
// once more so the close callbacks free the handles, and `done` callbacks are not called.
#pragma once

#include <uv.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "shared/http/router.h"
#include "shared/http/server_context.h"
#include "shared/http/server_metrics.h"
#include "shared/http/server_options.h"
#include "shared/log/logger.h"
#include "shared/net/stream_listener.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::http {

class Connection;

class HttpServer {
 public:
  // Validates `options`, registers metrics (when options.metrics is set), reads the TLS files
  // (with options.tls) and starts listening on `loop` (which must outlive the server). Errors:
  // InvalidArgument naming a bad option, a metrics clash, or an unreadable or mismatched
  // certificate or key file (path and OpenSSL's reason); IOError naming host:port when the
  // address cannot be bound (in use, not local). On error no handle is left open, but the loop
  // must still run once to free a failed listener.
  static Result<std::unique_ptr<HttpServer>> Start(uv_loop_t* loop, ServerOptions options,
                                                   Router router);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // The bound port (the chosen one when options.port was 0).
  int port() const { return port_; }
  // "127.0.0.1:3100" or "[::1]:3100".
  std::string address() const { return address_; }
  // Connections open now (including ones being closed; not counting TLS handshakes).
  size_t connection_count() const { return connections_.size(); }
  // Re-reads the TLS certificate, key and CA files for new connections (SIGHUP); connections
  // already open keep theirs. On error the previous files stay in use and the error names the
  // file. OK and a no-op without TLS, or once the server is stopping.
  Status ReloadTls();

  // Graceful stop (see the file comment). `done` (may be empty) runs on the loop when all
  // handles are closed. Calling it again adds another `done` (run at once if already finished).
  void Shutdown(std::function<void()> done);
  // Stops at once: every connection is closed and pending responders become no-ops. `done`
  // callbacks of an earlier Shutdown still run.
  void Close();

 private:
  // Shared with the completion queue's close callback, which may run after the server is gone.
  struct ShutdownState {
    std::vector<std::function<void()>> done;
    bool finished = false;
  };

  HttpServer() = default;
  Status Listen();
  void Accept(std::unique_ptr<net::ByteStream> stream);
  // The listener refused a connection (over its limit, or a failed TLS handshake): metrics.
  void CountRefused();
  void OnConnectionClosed(Connection* connection);
  void StopListening();
  void MaybeFinishShutdown();

  ServerContext context_;
  std::unique_ptr<log::Logger> owned_logger_;
  std::unique_ptr<time::Clock> owned_clock_;
  std::unique_ptr<ServerMetrics> metrics_;
  std::unique_ptr<net::StreamListener> listener_;
  bool listener_closing_ = false;
  bool listener_closed_ = true;
  net::ListenerStats counted_;  // the listener's refusals already in the metrics
  int port_ = 0;
  std::string address_;
  std::unordered_set<Connection*> connections_;
  std::shared_ptr<ShutdownState> shutdown_ = std::make_shared<ShutdownState>();
  bool finishing_ = false;
};

}  // namespace silt::http
