#include "aggregator/api/status_routes.h"

#include <memory>
#include <utility>

#include "shared/json/json_string.h"
#include "shared/metrics/text_format.h"

#ifndef SILT_VERSION
#define SILT_VERSION "unknown"
#endif
#ifndef SILT_REVISION
#define SILT_REVISION "unknown"
#endif
#ifndef SILT_BRANCH
#define SILT_BRANCH "unknown"
#endif
#ifndef SILT_BUILD_USER
#define SILT_BUILD_USER "unknown"
#endif
#ifndef SILT_BUILD_DATE
#define SILT_BUILD_DATE "unknown"
#endif

namespace silt::api {
namespace {

void AppendField(std::string_view name, std::string_view value, std::string* out) {
  if (out->size() > 1) *out += ',';
  json::AppendJsonString(name, out);
  *out += ':';
  json::AppendJsonString(value, out);
}

std::string CompilerVersion() {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown";
#endif
}

}  // namespace

BuildInfo CurrentBuildInfo() {
  BuildInfo info;
  info.version = SILT_VERSION;
  info.revision = SILT_REVISION;
  info.branch = SILT_BRANCH;
  info.build_user = SILT_BUILD_USER;
  info.build_date = SILT_BUILD_DATE;
  info.go_version = CompilerVersion();
  return info;
}

std::string EncodeBuildInfo(const BuildInfo& info) {
  std::string out = "{";
  AppendField("version", info.version, &out);
  AppendField("revision", info.revision, &out);
  AppendField("branch", info.branch, &out);
  AppendField("buildUser", info.build_user, &out);
  AppendField("buildDate", info.build_date, &out);
  AppendField("goVersion", info.go_version, &out);
  out += '}';
  return out;
}

Status AddStatusRoutes(const StatusRoutesOptions& options, http::Router* router) {
  const metrics::Registry* registry = options.registry;
  SILT_RETURN_IF_ERROR(
      router->Add("GET", "/metrics", [registry](http::Request, http::Responder responder) {
        http::Response response = http::Response::Text(200, registry->Expose());
        response.headers.Set("Content-Type", std::string(metrics::kTextContentType));
        responder.Respond(std::move(response));
      }));
  auto config = std::make_shared<const std::string>(options.config_yaml);
  SILT_RETURN_IF_ERROR(
      router->Add("GET", "/config", [config](http::Request, http::Responder responder) {
        http::Response response = http::Response::Text(200, *config);
        response.headers.Set("Content-Type", "text/yaml; charset=utf-8");
        responder.Respond(std::move(response));
      }));
  auto build = std::make_shared<const std::string>(EncodeBuildInfo(options.build));
  return router->Add("GET", "/loki/api/v1/status/buildinfo",
                     [build](http::Request, http::Responder responder) {
                       responder.Respond(http::Response::Json(200, *build));
                     });
}

}  // namespace silt::api
