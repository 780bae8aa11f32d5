#include "aggregator/api/loki_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <memory>
#include <variant>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/metric/metric_query_executor.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/time/timestamp.h"

namespace silt::api {
namespace {

constexpr size_t kDefaultLimit = 100;
constexpr int64_t kDefaultSince = 3600 * time::kSecond;

// The parameters turned into numbers.
struct ParsedParams {
  int64_t from = 0;     // log queries: inclusive; metric range queries: the first step
  int64_t through = 0;  // log queries: exclusive; metric queries: the last step or the time
  size_t limit = kDefaultLimit;
  store::Direction direction = store::Direction::kBackward;
  int64_t step = 0;      // 0: Loki's default
  int64_t interval = 0;  // 0: every entry
};

std::string Name(const LokiQueryOptions& o, std::string_view param) {
  return o.param_prefix + std::string(param);
}

Result<int64_t> ParamTime(const LokiQueryOptions& o, std::string_view param,
                          const std::string& text) {
  Result<int64_t> parsed = time::ParseLokiTime(text);
  if (!parsed.ok()) return parsed.status().WithContext(Name(o, param));
  return parsed;
}

Result<int64_t> ParseSince(const LokiQueryOptions& o, const std::string& text) {
  if (text.empty()) return kDefaultSince;
  Result<int64_t> since = time::ParseDuration(text);
  if (!since.ok()) return since.status().WithContext(Name(o, "since"));
  if (*since <= 0) {
    return Status::InvalidArgument(Name(o, "since") + " must be a positive duration, e.g. 1h");
  }
  return since;
}

Result<size_t> ParseLimit(const LokiQueryOptions& o, const std::string& text) {
  if (text.empty()) return kDefaultLimit;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument(Name(o, "limit") + " '" + text +
                                   "': expected a positive integer such as 100");
  }
  if (value <= 0) return Status::InvalidArgument("limit must be a positive value");
  return static_cast<size_t>(value);
}

Result<store::Direction> ParseDirection(const LokiQueryOptions& o, const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.empty() || lower == "backward") return store::Direction::kBackward;
  if (lower == "forward") return store::Direction::kForward;
  return Status::InvalidArgument("invalid direction '" + text + "': " + Name(o, "direction") +
                                 " must be backward or forward");
}

Result<int64_t> ParseStep(const LokiQueryOptions& o, const std::string& text) {
  SILT_ASSIGN_OR_RETURN(const int64_t step, ParseSecondsOrDuration(Name(o, "step"), text));
  if (step <= 0) {
    return Status::InvalidArgument(Name(o, "step") + " '" + text +
                                   "': zero or negative query resolution step widths are not "
                                   "accepted. Try a positive integer");
  }
  return step;
}

// The time range: [start, end) for range queries; the `since` up to `time` for instant ones.
Status ParseRange(const LokiQueryRequest& r, const LokiQueryOptions& o, int64_t now,
                  ParsedParams* p) {
  SILT_ASSIGN_OR_RETURN(const int64_t since, ParseSince(o, r.since));
  if (r.instant) {
    p->through = now;
    if (!r.time.empty()) {
      SILT_ASSIGN_OR_RETURN(p->through, ParamTime(o, "time", r.time));
    }
    p->from = p->through - since;
    return Status::Ok();
  }
  p->through = now;
  if (!r.end.empty()) {
    SILT_ASSIGN_OR_RETURN(p->through, ParamTime(o, "end", r.end));
  }
  p->from = p->through - since;
  if (!r.start.empty()) {
    SILT_ASSIGN_OR_RETURN(p->from, ParamTime(o, "start", r.start));
  }
  if (p->through < p->from) {
    return Status::InvalidArgument("end timestamp must not be before or equal to start time");
  }
  return Status::Ok();
}

Result<ParsedParams> ParseParams(const LokiQueryRequest& r, const LokiQueryOptions& o,
                                 int64_t now) {
  ParsedParams p;
  SILT_RETURN_IF_ERROR(ParseRange(r, o, now, &p));
  SILT_ASSIGN_OR_RETURN(p.limit, ParseLimit(o, r.limit));
  SILT_ASSIGN_OR_RETURN(p.direction, ParseDirection(o, r.direction));
  if (!r.step.empty()) {
    SILT_ASSIGN_OR_RETURN(p.step, ParseStep(o, r.step));
  }
  if (!r.interval.empty()) {
    SILT_ASSIGN_OR_RETURN(p.interval, ParseSecondsOrDuration(Name(o, "interval"), r.interval));
    if (p.interval < 0) return Status::InvalidArgument("interval must be >= 0");
  }
  return p;
}

Result<logql::Query> ParseAnyQuery(const LokiQueryOptions& o, const std::string& text) {
  if (text.empty()) {
    return Status::InvalidArgument("no query given: " + Name(o, "query") +
                                   " is required, e.g. '{job=\"api\"} |= \"error\"'");
  }
  return logql::ParseQuery(text);
}

Result<std::string> RunLog(const engine::StorageEngine& engine, std::string_view tenant,
                           const logql::LogQuery& query, const ParsedParams& p, bool instant,
                           const LokiQueryOptions& o) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<logql::Pipeline> pipeline,
                        logql::Pipeline::Compile(query.pipeline));
  logql::exec::LogQueryRange range;
  range.from = p.from;
  // An instant query includes entries at `time` itself.
  range.through = instant ? p.through + 1 : p.through;
  range.direction = p.direction;
  range.limit = p.limit;
  range.interval = instant ? 0 : p.interval;
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryPlan plan, logql::exec::PlanLogQuery(query, range));
  logql::exec::ExecutorOptions options;
  options.use_blooms = o.use_blooms;
  options.clock = o.clock;
  options.timeout_ns = o.timeout_ns;
  options.max_entries_limit = o.max_entries_limit;
  options.max_series = o.max_series;
  options.max_query_memory_bytes = o.max_query_memory_bytes;
  options.max_query_memory_name = o.max_query_memory_name;
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryResult result,
                        logql::exec::ExecuteLogQuery(engine, tenant, plan, *pipeline, options));
  return logql::exec::EncodeStreamsResponse(result);
}

Result<std::string> RunMetric(const engine::StorageEngine& engine, std::string_view tenant,
                              const logql::MetricExpr& expr, const ParsedParams& p, bool instant,
                              const LokiQueryOptions& o) {
  logql::metric::MetricQueryParams params;
  params.start = instant ? p.through : p.from;
  params.end = p.through;
  params.instant = instant;
  if (!instant) params.step = p.step != 0 ? p.step : DefaultStep(p.from, p.through);
  logql::metric::MetricExecutorOptions options;
  options.use_blooms = o.use_blooms;
  options.clock = o.clock;
  options.timeout_ns = o.timeout_ns;
  options.max_series = o.max_series;
  options.max_query_memory_bytes = o.max_query_memory_bytes;
  options.max_query_memory_name = o.max_query_memory_name;
  SILT_ASSIGN_OR_RETURN(logql::metric::MetricQueryResult result,
                        logql::metric::ExecuteMetricQuery(engine, tenant, expr, params, options));
  return logql::metric::EncodeMetricResponse(result);
}

}  // namespace

Result<int64_t> ParseSecondsOrDuration(std::string_view name, const std::string& text) {
  double seconds = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
  if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(seconds) &&
      std::fabs(seconds) < 9e9) {
    return static_cast<int64_t>(std::llround(seconds * 1e9));
  }
  Result<int64_t> parsed = time::ParseDuration(text);
  if (!parsed.ok()) {
    return Status::InvalidArgument(std::string(name) + " '" + text +
                                   "': expected a duration such as 30s or seconds such as 15");
  }
  return parsed;
}

int64_t DefaultStep(int64_t start, int64_t end) {
  const double seconds = static_cast<double>(end - start) / 1e9;
  return static_cast<int64_t>(std::max(std::floor(seconds / 250), 1.0)) * time::kSecond;
}

Status CheckLokiQuery(const LokiQueryRequest& request, const LokiQueryOptions& options) {
  SILT_ASSIGN_OR_RETURN(logql::Query query, ParseAnyQuery(options, request.query));
  SILT_RETURN_IF_ERROR(ParseParams(request, options, options.clock->WallNanos()).status());
  const auto* log_query = std::get_if<logql::LogQuery>(&query.node);
  if (log_query != nullptr) {
    SILT_RETURN_IF_ERROR(logql::Pipeline::Compile(log_query->pipeline).status());
  }
  return Status::Ok();
}

Result<std::string> RunLokiQuery(const engine::StorageEngine& engine, std::string_view tenant,
                                 const LokiQueryRequest& request, const LokiQueryOptions& options) {
  SILT_ASSIGN_OR_RETURN(logql::Query query, ParseAnyQuery(options, request.query));
  SILT_ASSIGN_OR_RETURN(const ParsedParams params,
                        ParseParams(request, options, options.clock->WallNanos()));
  if (const auto* log_query = std::get_if<logql::LogQuery>(&query.node)) {
    return RunLog(engine, tenant, *log_query, params, request.instant, options);
  }
  return RunMetric(engine, tenant, std::get<logql::MetricExpr>(query.node), params, request.instant,
                   options);
}

}  // namespace silt::api
