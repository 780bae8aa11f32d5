// MetricsEndpoint: the agent's optional local HTTP port (status.metrics_listen), served by
// shared/http on the agent's loop:
//   GET /metrics   the Registry in the Prometheus text format (refreshed first, so a scrape sees
//                  the counters of this moment)
//   GET /ready     "ready" (200) once the agent runs
//   GET /config    the effective agent.yaml, every default filled in and the token redacted
//                  (what --print-config prints), as text/yaml
// The HTTP server's own metrics (silt_agent_http_*) go to the same registry.
//
// Thread-safety: loop thread only; destroy it (or the agent) to close the port.
#pragma once

#include <uv.h>

#include <functional>
#include <memory>
#include <string>

#include "shared/http/server.h"
#include "shared/log/logger.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::agent {

class MetricsEndpoint {
 public:
  // Listens on `listen` ("host:port", host an IP literal, "[::1]:9745" for IPv6, port 0 picks
  // one) on `loop`. `refresh` runs on the loop before each scrape; `config_yaml` is what /config
  // serves. The pointers must outlive the endpoint. InvalidArgument for a malformed address,
  // IOError naming it when it cannot be bound.
  static Result<std::unique_ptr<MetricsEndpoint>> Start(uv_loop_t* loop, const std::string& listen,
                                                        metrics::Registry* registry,
                                                        std::function<void()> refresh,
                                                        std::string config_yaml,
                                                        log::Logger* logger);

  // "127.0.0.1:9745", with the port actually bound.
  std::string address() const { return server_->address(); }

 private:
  explicit MetricsEndpoint(std::unique_ptr<http::HttpServer> server) : server_(std::move(server)) {}

  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace silt::agent
