// ServerOptions: everything HttpServer can be told, with production defaults, and Validate()
// that names the bad field. Durations are int64 nanoseconds (shared/time/duration.h), sizes are
// bytes. Defaults and units are listed in shared/http/README.md.
// A value type; thread-compatible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "shared/http/request_parser.h"
#include "shared/net/tls_options.h"
#include "shared/status/status.h"
#include "shared/time/duration.h"

namespace silt::log {
class Logger;
}
namespace silt::metrics {
class Registry;
}
namespace silt::time {
class Clock;
}

namespace silt::http {

struct ServerOptions {
  // An IPv4 or IPv6 literal ("127.0.0.1", "0.0.0.0", "::1", "[::1]", "::"); names are not
  // resolved, so listening never blocks on DNS.
  std::string host = "127.0.0.1";
  // 0 picks a free port; HttpServer::port() reports it.
  int port = 0;
  // Pending connections the kernel queues before accept().
  int backlog = 511;
  // TLS on the listener (shared/net, docs/tls.md): every connection completes a TLS handshake,
  // within header_timeout, before any byte reaches HTTP. nullopt: plain HTTP.
  std::optional<net::TlsServerOptions> tls;

  // Request line plus headers. At most 80 KiB, the limit compiled into libhttp-parser.
  size_t max_header_bytes = 64 * 1024;
  size_t max_headers = 100;
  // Request body as received; and after gzip/deflate are undone (the gzip-bomb guard).
  size_t max_body_bytes = 64 * 1024 * 1024;
  size_t max_decoded_body_bytes = 64 * 1024 * 1024;

  // From the first byte of a request until its headers are complete (slowloris guard): 408.
  int64_t header_timeout = 30 * time::kSecond;
  // Longest silence while a request body is arriving: 408.
  int64_t read_timeout = 30 * time::kSecond;
  // Longest time an idle keep-alive connection is kept open between requests.
  int64_t keep_alive_timeout = 120 * time::kSecond;
  // Longest time response bytes may wait for a client that does not read; then the connection
  // is closed.
  int64_t write_timeout = 30 * time::kSecond;

  // Open connections; a connection beyond this gets 503 and is closed.
  size_t max_connections = 1024;
  // Streamed response bytes a handler may queue ahead of a slow client (Responder::Write).
  size_t max_stream_buffer_bytes = 16 * 1024 * 1024;

  // Names the server in its log lines and metrics labels ("api", "metrics"); may be empty.
  std::string name;
  // Not owned; must outlive the server. nullptr: log to stderr through an owned Logger.
  log::Logger* logger = nullptr;
  // Not owned; must outlive the server. nullptr: no metrics.
  metrics::Registry* metrics = nullptr;
  // Prefix of the metric names: <prefix>_requests_total and so on.
  std::string metrics_prefix = "silt_http";
  // Not owned; must outlive the server. nullptr: an owned SystemClock. Used for Date headers and
  // request durations (timeouts run on the loop's clock).
  const time::Clock* clock = nullptr;

  // OK, or InvalidArgument naming the first bad field, its value and the accepted range.
  Status Validate() const;
  // The parser limits these options imply.
  RequestLimits limits() const;
};

// The largest max_header_bytes libhttp-parser can honour.
inline constexpr size_t kMaxHeaderBytesLimit = 80 * 1024;

}  // namespace silt::http
