#include "aggregator/app/query_command.h"

#include <memory>
#include <variant>

#include "aggregator/api/loki_query.h"
#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/data_layout.h"
#include "aggregator/logql/query.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::aggregator {
namespace {

Status WriteLine(std::string json, std::FILE* out) {
  json += '\n';
  std::fwrite(json.data(), 1, json.size(), out);
  if (std::fflush(out) != 0) return Status::IOError("writing the result to stdout failed");
  return Status::Ok();
}

// The flags as Loki's query parameters; --instant evaluates at --end.
api::LokiQueryRequest RequestOf(const QueryCommandOptions& o) {
  api::LokiQueryRequest request;
  request.query = o.query;
  request.since = o.since;
  request.start = o.start;
  request.end = o.end;
  request.limit = std::to_string(o.limit);
  request.direction = o.direction;
  request.step = o.step;
  request.instant = o.instant;
  request.time = o.end;
  return request;
}

Result<api::LokiQueryOptions> OptionsOf(const QueryCommandOptions& o, const time::Clock* clock) {
  api::LokiQueryOptions options;
  options.param_prefix = "--";
  options.use_blooms = o.use_blooms;
  options.clock = clock;
  options.max_series = o.max_series;
  options.max_query_memory_name = "--max-query-memory";
  Result<int64_t> timeout = time::ParseDuration(o.timeout);
  if (!timeout.ok()) return timeout.status().WithContext("--timeout");
  options.timeout_ns = *timeout;
  Result<int64_t> memory = units::ParseByteSize(o.max_query_memory);
  if (!memory.ok()) {
    return memory.status().WithContext("--max-query-memory (0 for no limit)");
  }
  options.max_query_memory_bytes = *memory;
  return options;
}

// The command line refuses metric-only flags on a log query rather than ignoring them.
Status CheckFlagsFitQuery(const QueryCommandOptions& o) {
  if (o.step.empty() && !o.instant) return Status::Ok();
  SILT_ASSIGN_OR_RETURN(logql::Query query, logql::ParseQuery(o.query));
  if (std::holds_alternative<logql::LogQuery>(query.node)) {
    return Status::InvalidArgument(
        "--step and --instant apply to metric queries only; this is a log query (wrap it, "
        "e.g. count_over_time(... [5m]), or drop the flag)");
  }
  return Status::Ok();
}

}  // namespace

Status RunQuery(const QueryCommandOptions& o, std::FILE* out, log::Logger* logger) {
  SILT_RETURN_IF_ERROR(engine::ValidateTenantId(o.tenant));
  time::SystemClock clock;
  SILT_ASSIGN_OR_RETURN(const api::LokiQueryOptions options, OptionsOf(o, &clock));
  const api::LokiQueryRequest request = RequestOf(o);
  // Before opening the directory, so a bad query fails fast and without a lock.
  SILT_RETURN_IF_ERROR(api::CheckLokiQuery(request, options));
  SILT_RETURN_IF_ERROR(CheckFlagsFitQuery(o));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/false, logger));
  Result<std::string> json = api::RunLokiQuery(offline->engine(), o.tenant, request, options);
  SILT_RETURN_IF_ERROR(json.status());
  SILT_RETURN_IF_ERROR(WriteLine(std::move(*json), out));
  return offline->Close();
}

}  // namespace silt::aggregator
