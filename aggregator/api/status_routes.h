// Status routes: the operator endpoints next to the Loki API.
//
//   GET /metrics                          the process registry, Prometheus text format 0.0.4
//   GET /config                           the effective configuration as YAML
//   GET /loki/api/v1/status/buildinfo     Loki's shape: version, revision, branch, buildUser,
//                                         buildDate, goVersion
//
// They answer on the loop thread at once: each is a copy of prepared text or a registry scrape.
// Thread-safety: AddStatusRoutes before the server starts; the registry must outlive the server.
#pragma once

#include <string>

#include "shared/http/router.h"
#include "shared/metrics/registry.h"
#include "shared/status/status.h"

namespace silt::api {

// What /loki/api/v1/status/buildinfo reports; "unknown" where the build did not know.
struct BuildInfo {
  std::string version = "unknown";
  std::string revision = "unknown";
  std::string branch = "unknown";
  std::string build_user = "unknown";
  std::string build_date = "unknown";
  // Loki's field for its Go toolchain; Silt names its C++ compiler there.
  std::string go_version = "unknown";
};

// This build's values, recorded by CMake at configure time (project version, git revision and
// branch when the source is a git checkout, the configure date, the compiler).
BuildInfo CurrentBuildInfo();

// The buildinfo JSON object for `info`.
std::string EncodeBuildInfo(const BuildInfo& info);

struct StatusRoutesOptions {
  const metrics::Registry* registry = nullptr;  // required
  std::string config_yaml;                      // served by /config
  BuildInfo build;
};

// Adds /metrics, /config and /loki/api/v1/status/buildinfo. InvalidArgument when a path is
// already taken.
Status AddStatusRoutes(const StatusRoutesOptions& options, http::Router* router);

}  // namespace silt::api
