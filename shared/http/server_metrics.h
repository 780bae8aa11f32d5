// ServerMetrics: what HttpServer counts, registered in a metrics::Registry under a prefix
// (default "silt_http"):
//   <prefix>_requests_total{method,route,status}          counter: answered requests
//   <prefix>_request_duration_seconds{route}             histogram: from headers parsed to the
//                                                         answer handed to the socket
//   <prefix>_requests_in_flight                          gauge: dispatched, not yet answered
//   <prefix>_connections_open                            gauge
//   <prefix>_connections_rejected_total                  counter: over max_connections (503,
//                                                         or closed at once when flooded)
//   <prefix>_tls_handshake_failures_total                counter: TLS handshakes that failed
//                                                         (plaintext client, timeout, bad cert)
// `route` is the matched pattern, "unmatched" for 404/405 and "malformed" for requests refused
// before routing (400, 408, 413, 431, ...), so label values stay a small fixed set.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <memory>
#include <string_view>

#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::http {

inline constexpr std::string_view kRouteUnmatched = "unmatched";
inline constexpr std::string_view kRouteMalformed = "malformed";

class ServerMetrics {
 public:
  // Registers the families in `registry` (not owned; must outlive the result). Errors are the
  // registry's (InvalidArgument for a bad prefix or a clash with another metric).
  static Result<std::unique_ptr<ServerMetrics>> Create(metrics::Registry* registry,
                                                       std::string_view prefix);

  void ConnectionOpened() { connections_open_->Inc(); }
  void ConnectionClosed() { connections_open_->Dec(); }
  void ConnectionRejected() { connections_rejected_->Inc(); }
  void HandshakeFailed() { handshake_failures_->Inc(); }
  void RequestStarted() { in_flight_->Inc(); }
  void RequestEnded() { in_flight_->Dec(); }
  // Counts one answered request and its duration.
  void RecordResponse(std::string_view method, std::string_view route, int status, double seconds);

 private:
  ServerMetrics() = default;

  metrics::CounterFamily* requests_ = nullptr;
  metrics::HistogramFamily* durations_ = nullptr;
  metrics::Gauge* in_flight_ = nullptr;
  metrics::Gauge* connections_open_ = nullptr;
  metrics::Counter* connections_rejected_ = nullptr;
  metrics::Counter* handshake_failures_ = nullptr;
};

}  // namespace silt::http
