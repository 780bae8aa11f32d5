// TailRequest: the parameters of Loki's GET /loki/api/v1/tail, checked before the WebSocket
// handshake so that a bad request is answered with plain HTTP 400:
//
//   query      a LogQL log query (metric queries: "only log selector is supported", as Loki)
//   limit      entries sent from before the connection (default 100, at most max_limit)
//   delay_for  seconds to hold new entries to sort them (default 0, at most 5)
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

namespace silt::tail {

// Loki's maxDelayForInTailing.
inline constexpr int64_t kMaxDelayForSeconds = 5;
inline constexpr size_t kDefaultLimit = 100;

struct TailRequest {
  std::string tenant;
  std::string query_text;
  logql::LogQuery query;
  std::shared_ptr<const logql::Pipeline> pipeline;  // compiled from query.pipeline
  size_t limit = kDefaultLimit;
  int64_t delay_for_ns = 0;
  int64_t start_ns = 0;  // inclusive
};

// Reads and checks `request`'s parameters at wall time `now_ns`. InvalidArgument, with Loki's
// wording where Loki has one, naming the parameter: a missing or unparsable query, a metric
// query, a limit that is not a positive integer or exceeds `max_limit`, a delay_for that is not
// an integer in 0..5, a bad start, a bad tenant id.
Result<TailRequest> ParseTailRequest(const http::Request& request, size_t max_limit,
                                     int64_t now_ns);

}  // namespace silt::tail
