// RunRangeQuery: one `query_range` read to its end through a BatchCursor (docs/cli.md "Batches"):
// the requests, the answers flattened in direction order, the entries not seen before handed to
// a sink batch by batch. A metric query's answer (matrix) is returned whole instead.
// Thread-compatible (uses the caller's HttpClient).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "aggregator/cli/batch_cursor.h"
#include "aggregator/cli/http_client.h"
#include "aggregator/cli/loki_response.h"
#include "aggregator/cli/time_range.h"
#include "shared/status/status.h"

namespace silt::cli {

struct RangeQuery {
  std::string query;
  TimeRange range;
  Direction direction = Direction::kBackward;
  int64_t limit = 100;   // 0 = all
  int64_t batch = 5000;  // entries per request
};

// Takes the fresh entries of one batch, in order; a non-OK status stops the query.
using EntrySink = std::function<Status(std::vector<FlatEntry>&& entries)>;

// Reads `query` with `client`, passing entries to `sink`. When the server answers with something
// other than streams (a metric query), *metric gets that answer and the sink is never called;
// otherwise metric->type stays kStreams. Returns the first failure of the client, the parser or
// the sink.
Status RunRangeQuery(HttpClient* client, const RangeQuery& query, const EntrySink& sink,
                     QueryResult* metric);

// The query_range parameters of one request.
QueryParams RangeParams(const std::string& query, const BatchRequest& request, Direction direction);

}  // namespace silt::cli
