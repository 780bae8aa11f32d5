#include "aggregator/cli/log_query_runner.h"

#include "shared/time/timestamp.h"

namespace silt::cli {

QueryParams RangeParams(const std::string& query, const BatchRequest& request,
                        Direction direction) {
  return {{"query", query},
          {"start", time::FormatRfc3339Nano(request.range.start_ns)},
          {"end", time::FormatRfc3339Nano(request.range.end_ns)},
          {"limit", std::to_string(request.limit)},
          {"direction", direction == Direction::kForward ? "forward" : "backward"}};
}

Status RunRangeQuery(HttpClient* client, const RangeQuery& query, const EntrySink& sink,
                     QueryResult* metric) {
  metric->type = ResultType::kStreams;
  BatchCursor cursor(query.range, query.direction, query.limit, query.batch);
  while (!cursor.done()) {
    const BatchRequest request = cursor.Next();
    Result<std::string> body =
        client->Get("/loki/api/v1/query_range", RangeParams(query.query, request, query.direction));
    if (!body.ok()) return body.status();
    Result<QueryResult> parsed = ParseQueryResponse(*body);
    if (!parsed.ok()) return parsed.status();
    if (parsed->type != ResultType::kStreams) {
      *metric = std::move(parsed).value();
      return Status::Ok();
    }
    std::vector<FlatEntry> fresh =
        cursor.Accept(FlattenStreams(std::move(parsed).value(), query.direction));
    if (!fresh.empty()) SILT_RETURN_IF_ERROR(sink(std::move(fresh)));
  }
  return Status::Ok();
}

}  // namespace silt::cli
