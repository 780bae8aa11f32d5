#include "shared/http/server_metrics.h"

#include <string>

namespace silt::http {

Result<std::unique_ptr<ServerMetrics>> ServerMetrics::Create(metrics::Registry* registry,
                                                             std::string_view prefix) {
  std::unique_ptr<ServerMetrics> m(new ServerMetrics());
  const std::string p(prefix);
  SILT_ASSIGN_OR_RETURN(m->requests_, registry->RegisterCounterFamily(
                                          p + "_requests_total", "HTTP requests answered.",
                                          {"method", "route", "status"}));
  SILT_ASSIGN_OR_RETURN(
      m->durations_,
      registry->RegisterHistogramFamily(
          p + "_request_duration_seconds",
          "Time from a request's headers to its answer being handed to the socket.", {"route"},
          {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60}));
  SILT_ASSIGN_OR_RETURN(m->in_flight_,
                        registry->RegisterGauge(p + "_requests_in_flight",
                                                "HTTP requests dispatched and not yet answered."));
  SILT_ASSIGN_OR_RETURN(
      m->connections_open_,
      registry->RegisterGauge(p + "_connections_open", "Open HTTP client connections."));
  SILT_ASSIGN_OR_RETURN(
      m->connections_rejected_,
      registry->RegisterCounter(p + "_connections_rejected_total",
                                "HTTP connections refused over max_connections (503, or "
                                "closed at once when flooded)."));
  SILT_ASSIGN_OR_RETURN(
      m->handshake_failures_,
      registry->RegisterCounter(p + "_tls_handshake_failures_total",
                                "TLS handshakes on the HTTP port that failed (plaintext client, "
                                "timeout, untrusted or missing client certificate)."));
  return m;
}

void ServerMetrics::RecordResponse(std::string_view method, std::string_view route, int status,
                                   double seconds) {
  const std::string status_label = std::to_string(status);
  requests_->WithLabels({method, route, status_label}).Inc();
  durations_->WithLabels({route}).Observe(seconds);
}

}  // namespace silt::http
