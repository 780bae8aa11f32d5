#include "agent/app/metrics_endpoint.h"

#include <memory>
#include <utility>

#include "shared/metrics/text_format.h"

namespace silt::agent {

Result<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(
    uv_loop_t* loop, const std::string& listen, metrics::Registry* registry,
    std::function<void()> refresh, std::string config_yaml, log::Logger* logger) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size()) {
    return Status::InvalidArgument("status.metrics_listen \"" + listen +
                                   "\" is not host:port (e.g. 127.0.0.1:9745)");
  }
  http::ServerOptions options;
  options.host = listen.substr(0, colon);
  options.port = std::stoi(listen.substr(colon + 1));
  options.name = "metrics";
  options.logger = logger;
  options.metrics = registry;
  options.metrics_prefix = "silt_agent_http";
  options.max_connections = 64;
  http::Router router;
  SILT_RETURN_IF_ERROR(router.Add(
      "GET", "/metrics",
      [registry, refresh = std::move(refresh)](http::Request, http::Responder responder) {
        if (refresh) refresh();
        http::Response response;
        response.headers.Set("Content-Type", std::string(metrics::kTextContentType));
        response.body = registry->Expose();
        responder.Respond(std::move(response));
      }));
  SILT_RETURN_IF_ERROR(router.Add("GET", "/ready", [](http::Request, http::Responder responder) {
    responder.Respond(http::Response::Text(200, "ready\n"));
  }));
  SILT_RETURN_IF_ERROR(
      router.Add("GET", "/config",
                 [config = std::make_shared<const std::string>(std::move(config_yaml))](
                     http::Request, http::Responder responder) {
                   http::Response response = http::Response::Text(200, *config);
                   response.headers.Set("Content-Type", "text/yaml; charset=utf-8");
                   responder.Respond(std::move(response));
                 }));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<http::HttpServer> server,
                        http::HttpServer::Start(loop, std::move(options), std::move(router)));
  return std::unique_ptr<MetricsEndpoint>(new MetricsEndpoint(std::move(server)));
}

}  // namespace silt::agent
