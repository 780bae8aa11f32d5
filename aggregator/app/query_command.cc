#include "aggregator/app/query_command.h"

#include <charconv>
#include <cmath>
#include <memory>
#include <variant>

#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/data_layout.h"
#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/metric/metric_query_executor.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/time/duration.h"
#include "shared/time/timestamp.h"
#include "shared/units/byte_size.h"

namespace silt::aggregator {
namespace {

// The flag the memory budget's error tells the operator to raise.
constexpr const char* kMemoryFlag = "--max-query-memory";

// The limits shared by log and metric queries, parsed once.
struct QueryLimits {
  int64_t timeout_ns = 0;
  int64_t max_memory_bytes = 0;
};

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

Result<logql::Query> ParseAnyQuery(const std::string& text) {
  if (text.empty()) {
    return Status::InvalidArgument("no query given; pass one, e.g. '{job=\"api\"} |= \"error\"'");
  }
  return logql::ParseQuery(text);
}

// --step: float seconds ("15", "0.5") or a duration ("30s", "1m30s").
Result<int64_t> ParseStep(const std::string& text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  int64_t step = 0;
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(seconds)) {
    step = static_cast<int64_t>(std::llround(seconds * 1e9));
  } else {
    Result<int64_t> parsed = time::ParseDuration(text);
    if (!parsed.ok()) {
      return Status::InvalidArgument("--step '" + text +
                                     "': expected a duration such as 30s or seconds such as 15");
    }
    step = *parsed;
  }
  if (step <= 0) {
    return Status::InvalidArgument("--step '" + text +
                                   "': zero or negative query resolution step widths are not "
                                   "accepted. Try a positive integer");
  }
  return step;
}

// Loki's default step: max(1, floor(range seconds / 250)) seconds.
int64_t DefaultStep(int64_t start, int64_t end) {
  const double seconds = static_cast<double>(end - start) / 1e9;
  return static_cast<int64_t>(std::max(std::floor(seconds / 250), 1.0)) * time::kSecond;
}

Status WriteLine(std::string json, std::FILE* out) {
  json += '\n';
  std::fwrite(json.data(), 1, json.size(), out);
  if (std::fflush(out) != 0) return Status::IOError("writing the result to stdout failed");
  return Status::Ok();
}

Status RunLogQuery(const QueryCommandOptions& o, const logql::LogQuery& query,
                   const QueryLimits& limits, OfflineEngine* offline, std::FILE* out) {
  if (!o.step.empty() || o.instant) {
    return Status::InvalidArgument(
        "--step and --instant apply to metric queries only; this is a log query (wrap it, "
        "e.g. count_over_time(... [5m]), or drop the flag)");
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<logql::Pipeline> pipeline,
                        logql::Pipeline::Compile(query.pipeline));
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryRange range, RangeOf(o, offline->clock().WallNanos()));
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryPlan plan, logql::exec::PlanLogQuery(query, range));
  logql::exec::ExecutorOptions options;
  options.use_blooms = o.use_blooms;
  options.clock = &offline->clock();
  options.timeout_ns = limits.timeout_ns;
  options.max_series = o.max_series;
  options.max_query_memory_bytes = limits.max_memory_bytes;
  options.max_query_memory_name = kMemoryFlag;
  SILT_ASSIGN_OR_RETURN(
      logql::exec::LogQueryResult result,
      logql::exec::ExecuteLogQuery(offline->engine(), o.tenant, plan, *pipeline, options));
  return WriteLine(logql::exec::EncodeStreamsResponse(result), out);
}

Status RunMetricQuery(const QueryCommandOptions& o, const logql::MetricExpr& expr,
                      const QueryLimits& limits, OfflineEngine* offline, std::FILE* out) {
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryRange range, RangeOf(o, offline->clock().WallNanos()));
  logql::metric::MetricQueryParams params;
  params.start = range.from;
  params.end = range.through;
  params.instant = o.instant;
  if (!o.instant) {
    if (o.step.empty()) {
      params.step = DefaultStep(params.start, params.end);
    } else {
      SILT_ASSIGN_OR_RETURN(params.step, ParseStep(o.step));
    }
  }
  logql::metric::MetricExecutorOptions options;
  options.use_blooms = o.use_blooms;
  options.clock = &offline->clock();
  options.timeout_ns = limits.timeout_ns;
  options.max_series = o.max_series;
  options.max_query_memory_bytes = limits.max_memory_bytes;
  options.max_query_memory_name = kMemoryFlag;
  SILT_ASSIGN_OR_RETURN(
      logql::metric::MetricQueryResult result,
      logql::metric::ExecuteMetricQuery(offline->engine(), o.tenant, expr, params, options));
  return WriteLine(logql::metric::EncodeMetricResponse(result), out);
}

Result<QueryLimits> LimitsOf(const QueryCommandOptions& o) {
  QueryLimits limits;
  Result<int64_t> timeout = time::ParseDuration(o.timeout);
  if (!timeout.ok()) return timeout.status().WithContext("--timeout");
  limits.timeout_ns = *timeout;
  Result<int64_t> memory = units::ParseByteSize(o.max_query_memory);
  if (!memory.ok()) {
    return memory.status().WithContext("--max-query-memory (0 for no limit)");
  }
  limits.max_memory_bytes = *memory;
  return limits;
}

}  // namespace

Status RunQuery(const QueryCommandOptions& o, std::FILE* out, log::Logger* logger) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(o.tenant));
  SILT_ASSIGN_OR_RETURN(logql::Query query, ParseAnyQuery(o.query));
  SILT_ASSIGN_OR_RETURN(const QueryLimits limits, LimitsOf(o));
  if (!o.step.empty()) SILT_RETURN_IF_ERROR(ParseStep(o.step).status());
  const auto* log_query = std::get_if<logql::LogQuery>(&query.node);
  if (log_query != nullptr) {
    // Compile before opening the directory, so a bad query fails fast and without a lock.
    SILT_RETURN_IF_ERROR(logql::Pipeline::Compile(log_query->pipeline).status());
  }
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/false, logger));
  const Status status =
      log_query != nullptr
          ? RunLogQuery(o, *log_query, limits, offline.get(), out)
          : RunMetricQuery(o, std::get<logql::MetricExpr>(query.node), limits, offline.get(), out);
  SILT_RETURN_IF_ERROR(status);
  return offline->Close();
}

}  // namespace silt::aggregator
