// StreamListener: accepts TCP connections on a loop and hands each one, once usable, to the
// owner as a ByteStream: right away for plain TCP, after a completed handshake for TLS. Failed
// handshakes never reach the owner; each is logged once with the peer address and a classified
// reason (certificate expired, unknown CA, no client certificate, protocol version, plaintext
// client speaking to a TLS port, timeout) and counted. Reload() re-reads certificate and key
// files for new connections (SIGHUP); live connections keep theirs.
// Loop thread only.
#pragma once

#include <uv.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "shared/log/logger.h"
#include "shared/net/byte_stream.h"
#include "shared/net/tls_options.h"
#include "shared/status/result.h"

namespace silt::net {

struct ListenOptions {
  std::string host = "127.0.0.1";       // IPv4 or IPv6 literal
  int port = 0;                         // 0: any free port (see StreamListener::port())
  std::optional<TlsServerOptions> tls;  // nullopt: plain TCP
  // Connections open (in handshake or handed out and not yet closed); beyond it new connections
  // are closed at once, logged and counted.
  size_t max_connections = 1024;
  std::chrono::milliseconds handshake_timeout{10000};
  std::string component = "listener";  // log component name
  int backlog = 511;                   // pending connections the kernel queues before accept()
  // Called on the loop thread each time a connection is refused (over max_connections, or its
  // TLS handshake failed), after stats() counts it; for owners that export metrics. May be empty.
  std::function<void()> on_refused;
};

// Counters, read on the loop thread.
struct ListenerStats {
  uint64_t accepted = 0;  // streams handed to the owner
  uint64_t rejected_over_limit = 0;
  uint64_t handshake_failures = 0;  // any reason
};

class StreamListener {
 public:
  using AcceptFn = std::function<void(std::unique_ptr<ByteStream>)>;

  // Builds the TLS context (reading the files) and listens. Errors: InvalidArgument naming a bad
  // option or an unreadable/invalid certificate or key file (path and OpenSSL's reason);
  // IOError naming host:port when it cannot be bound. `loop` and `logger` must outlive it. On
  // error the loop must still run once to free the failed listener's handle.
  // Each failed handshake is logged at warn as msg="TLS handshake failed" with fields peer,
  // reason (a TlsFailureReasonName, e.g. unknown_ca) and error (docs/tls.md).
  static Result<std::unique_ptr<StreamListener>> Start(uv_loop_t* loop, ListenOptions options,
                                                       AcceptFn on_accept, log::Logger* logger);
  virtual ~StreamListener() = default;

  virtual int port() const = 0;
  virtual std::string address() const = 0;  // "127.0.0.1:7458"
  // Re-reads the TLS files. On error the previous context stays in use and the error (naming the
  // file) is returned. OK and a no-op without TLS.
  virtual Status Reload() = 0;
  // Stops accepting and aborts handshakes in progress; streams already handed out are unaffected.
  // `done` runs on the loop once the listener's handles are closed.
  virtual void Close(std::function<void()> done) = 0;
  virtual const ListenerStats& stats() const = 0;
};

}  // namespace silt::net
