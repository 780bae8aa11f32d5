#include "aggregator/app/query_command.h"

#include <memory>
#include <variant>

#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/data_layout.h"
#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/time/duration.h"
#include "shared/time/timestamp.h"

namespace silt::aggregator {
namespace {

Result<int64_t> FlagTime(const char* flag, const std::string& text) {
  Result<int64_t> parsed = time::ParseLokiTime(text);
  if (!parsed.ok()) return parsed.status().WithContext(flag);
  return parsed;
}

Result<logql::exec::LogQueryRange> RangeOf(const QueryCommandOptions& o, int64_t now) {
  logql::exec::LogQueryRange range;
  range.limit = o.limit;
  if (o.direction == "forward") {
    range.direction = store::Direction::kForward;
  } else if (o.direction != "backward") {
    return Status::InvalidArgument("--direction '" + o.direction +
                                   "': expected backward or forward");
  }
  range.through = now;
  if (!o.end.empty()) {
    SILT_ASSIGN_OR_RETURN(range.through, FlagTime("--end", o.end));
  }
  if (!o.start.empty()) {
    SILT_ASSIGN_OR_RETURN(range.from, FlagTime("--start", o.start));
    return range;
  }
  Result<int64_t> since = time::ParseDuration(o.since);
  if (!since.ok()) return since.status().WithContext("--since");
  if (*since <= 0) return Status::InvalidArgument("--since must be a positive duration, e.g. 1h");
  range.from = range.through - *since;
  return range;
}

Result<logql::LogQuery> ParseLogQuery(const std::string& text) {
  if (text.empty()) {
    return Status::InvalidArgument("no query given; pass one, e.g. '{job=\"api\"} |= \"error\"'");
  }
  SILT_ASSIGN_OR_RETURN(logql::Query query, logql::ParseQuery(text));
  if (query.is_metric()) {
    return Status::InvalidArgument(
        "metric queries are not supported yet (issue 6, LogQL engine: metric queries will add "
        "them); run a log query, e.g. without the range aggregation");
  }
  return std::get<logql::LogQuery>(std::move(query.node));
}

}  // namespace

Status RunQuery(const QueryCommandOptions& o, std::FILE* out, log::Logger* logger) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(o.tenant));
  SILT_ASSIGN_OR_RETURN(logql::LogQuery query, ParseLogQuery(o.query));
  Result<int64_t> timeout = time::ParseDuration(o.timeout);
  if (!timeout.ok()) return timeout.status().WithContext("--timeout");
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<logql::Pipeline> pipeline,
                        logql::Pipeline::Compile(query.pipeline));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/false, logger));
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryRange range,
                        RangeOf(o, offline->clock().WallNanos()));
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryPlan plan, logql::exec::PlanLogQuery(query, range));
  logql::exec::ExecutorOptions options;
  options.use_blooms = o.use_blooms;
  options.clock = &offline->clock();
  options.timeout_ns = *timeout;
  options.max_series = o.max_series;
  SILT_ASSIGN_OR_RETURN(
      logql::exec::LogQueryResult result,
      logql::exec::ExecuteLogQuery(offline->engine(), o.tenant, plan, *pipeline, options));
  std::string json = logql::exec::EncodeStreamsResponse(result);
  json += '\n';
  std::fwrite(json.data(), 1, json.size(), out);
  if (std::fflush(out) != 0) return Status::IOError("writing the result to stdout failed");
  return offline->Close();
}

}  // namespace silt::aggregator
