// LokiApi: the aggregator's Loki-compatible HTTP query API on top of shared/http: the routes,
// their parameters and defaults, the tenant (X-Scope-OrgID), and Loki's JSON and error answers.
// docs/http-api.md describes every endpoint.
//
//   GET      /loki/api/v1/query, /loki/api/v1/query_range    LogQL (loki_query.h)
//   GET      /loki/api/v1/labels, /loki/api/v1/label/{name}/values
//   GET POST /loki/api/v1/series                              match[] (repeated), form bodies
//   GET POST /loki/api/v1/index/stats {"streams","chunks","bytes","entries"} GET POST
//   /loki/api/v1/index/volume, /index/volume_range  bytes per group (volume_query.h) GET /ready 503
//   until SetEngine, then "ready"
//
// Every data endpoint runs on the QueryPool, never on the loop thread. Until SetEngine gives it
// an engine (WAL replay is over) they answer 503. Errors are plain text with Loki's status
// codes: 400 for bad parameters, parse errors and query limits, 504 for the query timeout, 500
// for storage errors.
//
// Thread-safety: AddRoutes before the server starts; SetEngine from any thread. The LokiApi must
// outlive the HttpServer its routes are added to and every task queued on the pool.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

#include "aggregator/api/loki_query.h"
#include "aggregator/api/query_pool.h"
#include "aggregator/api/volume_query.h"
#include "aggregator/engine/storage_engine.h"
#include "shared/http/query_params.h"
#include "shared/http/request.h"
#include "shared/http/responder.h"
#include "shared/http/response.h"
#include "shared/http/router.h"
#include "shared/status/result.h"

namespace silt::api {

// The header Loki reads the tenant from, and the tenant of requests without it.
inline constexpr std::string_view kTenantHeader = "X-Scope-OrgID";
inline constexpr std::string_view kDefaultTenant = "fake";

struct LokiApiOptions {
  // Limits and the clock for every query; query.clock is required.
  LokiQueryOptions query;
  QueryPool* pool = nullptr;  // required; must outlive the LokiApi's routes
};

class LokiApi {
 public:
  explicit LokiApi(LokiApiOptions options);

  // Adds the routes listed above. InvalidArgument when one is already taken.
  Status AddRoutes(http::Router* router);

  // Queries run against `engine` from now on (nullptr: 503 again). `engine` must stay open
  // until the pool has stopped.
  void SetEngine(const engine::StorageEngine* engine) { engine_.store(engine); }
  bool ready() const { return engine_.load() != nullptr; }

 private:
  // Answers a data request: JSON on success, Loki's error otherwise.
  using Work = Result<std::string> (LokiApi::*)(const engine::StorageEngine& engine,
                                                const std::string& tenant,
                                                const http::Request& request,
                                                const http::QueryParams& params) const;
  // A handler that moves the request to the pool and runs `work` there.
  http::Handler OnPool(Work work);
  void Serve(Work work, const http::Request& request, http::Responder* responder) const;

  Result<std::string> Query(const engine::StorageEngine& engine, const std::string& tenant,
                            const http::Request& request, const http::QueryParams& params) const;
  Result<std::string> QueryRange(const engine::StorageEngine& engine, const std::string& tenant,
                                 const http::Request& request,
                                 const http::QueryParams& params) const;
  Result<std::string> Labels(const engine::StorageEngine& engine, const std::string& tenant,
                             const http::Request& request, const http::QueryParams& params) const;
  Result<std::string> LabelValues(const engine::StorageEngine& engine, const std::string& tenant,
                                  const http::Request& request,
                                  const http::QueryParams& params) const;
  Result<std::string> Series(const engine::StorageEngine& engine, const std::string& tenant,
                             const http::Request& request, const http::QueryParams& params) const;
  Result<std::string> IndexStats(const engine::StorageEngine& engine, const std::string& tenant,
                                 const http::Request& request,
                                 const http::QueryParams& params) const;
  Result<std::string> Volume(const engine::StorageEngine& engine, const std::string& tenant,
                             const http::Request& request, const http::QueryParams& params) const;
  Result<std::string> VolumeRange(const engine::StorageEngine& engine, const std::string& tenant,
                                  const http::Request& request,
                                  const http::QueryParams& params) const;
  // Both volume endpoints; `range` selects volume_range.
  Result<std::string> AnyVolume(const engine::StorageEngine& engine, const std::string& tenant,
                                const http::QueryParams& params, bool range) const;

  const LokiApiOptions options_;
  std::atomic<const engine::StorageEngine*> engine_{nullptr};
};

// The tenant of `request`: X-Scope-OrgID, or "fake" without the header. InvalidArgument naming
// the header and the rule for an invalid tenant id.
Result<std::string> TenantOf(const http::Request& request);

// The HTTP answer for a failed query, as Loki gives it: the message as text/plain with 400 for
// InvalidArgument and query limits (ResourceExhausted), 504 for the timeout, 503 for
// Unavailable, 500 otherwise.
http::Response QueryErrorResponse(const Status& status);

}  // namespace silt::api
