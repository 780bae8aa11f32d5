// TailRequest: the parameters of Loki's GET /loki/api/v1/tail, checked before the WebSocket
// handshake so that a bad request is answered with plain HTTP 400:
//
//   query      a LogQL log query (metric queries: "only log selector is supported", as Loki)
//   limit      entries sent from before the connection (default TailLimits::default_limit,
//              100; at most max_limit)
//   delay_for  whole seconds to hold new entries to sort them (default 0, at most
//              TailLimits::max_delay_for_ns, Loki's 5 s)
//   start      where the first entries start (Loki time: RFC 3339 or unix s/ms/us/ns; default
//              one hour before now)
//
// The tenant comes from X-Scope-OrgID ("fake" when absent), as Loki reads it with auth off.
// Value type and pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "shared/http/request.h"
#include "shared/status/result.h"
#include "shared/time/duration.h"

namespace silt::tail {

// The bounds of the parameters (config keys http.tail_*, docs/aggregator-config.md).
struct TailLimits {
  size_t default_limit = 100;                    // Loki's default
  size_t max_limit = 5000;                       // 0: none (Loki uses max_entries_limit_per_query)
  int64_t max_delay_for_ns = 5 * time::kSecond;  // Loki's maxDelayForInTailing
};

struct TailRequest {
  std::string tenant;
  std::string query_text;
  logql::LogQuery query;
  std::shared_ptr<const logql::Pipeline> pipeline;  // compiled from query.pipeline
  size_t limit = 100;
  int64_t delay_for_ns = 0;
  int64_t start_ns = 0;  // inclusive
};

// Reads and checks `request`'s parameters at wall time `now_ns`. InvalidArgument, with Loki's
// wording where Loki has one, naming the parameter: a missing or unparsable query, a metric
// query, a limit that is not a positive integer or exceeds `limits.max_limit`, a delay_for that
// is not a whole number of seconds in 0..limits.max_delay_for_ns, a bad start, a bad tenant id.
Result<TailRequest> ParseTailRequest(const http::Request& request, const TailLimits& limits,
                                     int64_t now_ns);

}  // namespace silt::tail
