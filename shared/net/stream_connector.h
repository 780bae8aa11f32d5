// Connect: opens a TCP connection (and, with TLS options, completes the handshake, verifying the
// server's certificate chain and name) and hands back a ByteStream. Name resolution uses
// uv_getaddrinfo. A failure comes back as a Status whose message names host:port and the cause
// in an operator's words (connection refused, timed out, certificate has expired, unknown CA,
// hostname mismatch, protocol version not accepted by the server, ...).
// With TLS 1.3 the client completes its side of the handshake before the server has checked the
// client certificate; a server that then rejects it (missing, unknown CA, expired) sends an
// alert that ends the returned stream with an OnClosed error naming that reason.
// Name resolution tries every address returned (IPv4 and IPv6) in turn within `timeout`.
// Loop thread only.
#pragma once

#include <uv.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "shared/net/byte_stream.h"
#include "shared/net/tls_options.h"
#include "shared/status/result.h"

namespace silt::net {

struct ConnectOptions {
  std::string host;  // name or IP literal
  int port = 0;
  std::optional<TlsClientOptions> tls;  // nullopt: plain TCP
  std::chrono::milliseconds timeout{10000};  // connect plus handshake
};

// A connection attempt in progress; destroying it (or Cancel()) abandons the attempt without
// calling `done`.
class PendingConnect {
 public:
  virtual ~PendingConnect() = default;
  virtual void Cancel() = 0;
};

using ConnectFn = std::function<void(Result<std::unique_ptr<ByteStream>>)>;

// Starts a connection attempt; `done` is called once on the loop (never from inside Connect).
// Errors: InvalidArgument for bad options or unreadable TLS files (then `done` still runs, on the
// next loop turn); Unavailable for network and handshake failures.
std::unique_ptr<PendingConnect> Connect(uv_loop_t* loop, ConnectOptions options, ConnectFn done);

}  // namespace silt::net
