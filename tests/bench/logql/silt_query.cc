#include "tests/bench/logql/silt_query.h"

#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <variant>

#include "aggregator/engine/storage_engine.h"
#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/query_plan.h"
#include "aggregator/logql/metric/metric_query_executor.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/query.h"
#include "shared/fs/posix_file_system.h"
#include "shared/time/clock.h"

namespace silt::bench {
namespace {

double CpuNow() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

double WallNow() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void CopyStats(const logql::exec::QueryStats& stats, SiltFigures* f) {
  f->lines_processed = stats.lines_processed;
  f->bytes_processed = stats.bytes_processed;
  f->blocks_read = stats.blocks_read;
  f->blocks_skipped = stats.blocks_skipped_by_bloom;
  f->blocks_failed = stats.blocks_failed;
}

Status RunLogCount(const engine::StorageEngine& engine, const std::string& tenant,
                   const logql::LogQuery& query, const SiltQuery& q, SiltFigures* f) {
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<logql::Pipeline> pipeline,
                        logql::Pipeline::Compile(query.pipeline));
  const logql::exec::LogQueryRange range{q.start, q.end + 1, store::Direction::kForward, q.limit};
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryPlan plan, logql::exec::PlanLogQuery(query, range));
  logql::exec::ExecutorOptions options;
  options.use_blooms = q.use_blooms;
  options.max_entries_limit = q.limit;
  SILT_ASSIGN_OR_RETURN(logql::exec::LogQueryResult result,
                        logql::exec::ExecuteLogQuery(engine, tenant, plan, *pipeline, options));
  for (const logql::exec::LogStream& stream : result.streams) f->count += stream.entries.size();
  CopyStats(result.stats, f);
  if (f->count >= q.limit) {
    return Status::ResourceExhausted("the log query returned its limit of " +
                                     std::to_string(q.limit) +
                                     " entries, so it did not count every match; pick a rarer "
                                     "literal");
  }
  return Status::Ok();
}

Status RunMetric(const engine::StorageEngine& engine, const std::string& tenant,
                 const logql::MetricExpr& expr, const SiltQuery& q, SiltFigures* f) {
  logql::metric::MetricQueryParams params;
  params.start = q.kind == SiltQuery::Kind::kRange ? q.start : q.end;
  params.end = q.end;
  params.step = q.step;
  params.instant = q.kind == SiltQuery::Kind::kInstantCount;
  logql::metric::MetricExecutorOptions options;
  options.use_blooms = q.use_blooms;
  SILT_ASSIGN_OR_RETURN(logql::metric::MetricQueryResult result,
                        logql::metric::ExecuteMetricQuery(engine, tenant, expr, params, options));
  CopyStats(result.stats, f);
  if (q.kind == SiltQuery::Kind::kRange) {
    f->series = result.matrix.size();
    for (const logql::exec::MetricSeries& series : result.matrix) f->count += series.points.size();
    return Status::Ok();
  }
  if (result.type != logql::metric::MetricQueryResult::Type::kVector || result.vector.size() > 1) {
    return Status::InvalidArgument(
        "a count query must return one sample at most (wrap it in "
        "sum(...)): " +
        q.text);
  }
  // No sample: nothing matched (sum over no series is an empty vector, as in Loki).
  if (!result.vector.empty())
    f->count = static_cast<uint64_t>(std::llround(result.vector[0].value));
  return Status::Ok();
}

Status RunParsed(const engine::StorageEngine& engine, const std::string& tenant,
                 const logql::Query& parsed, const SiltQuery& q, SiltFigures* f) {
  const auto* log_query = std::get_if<logql::LogQuery>(&parsed.node);
  if (q.kind == SiltQuery::Kind::kLogCount) {
    if (log_query == nullptr) return Status::InvalidArgument("not a log query: " + q.text);
    return RunLogCount(engine, tenant, *log_query, q, f);
  }
  if (log_query != nullptr) return Status::InvalidArgument("not a metric query: " + q.text);
  return RunMetric(engine, tenant, std::get<logql::MetricExpr>(parsed.node), q, f);
}

}  // namespace

Result<SiltFigures> RunSiltQuery(const std::string& data_dir, const std::string& tenant,
                                 const SiltQuery& query) {
  SiltFigures f;
  const double cpu0 = CpuNow();
  fs::PosixFileSystem posix;
  time::SystemClock clock;
  engine::EngineOptions options;
  options.fs = &posix;
  options.clock = &clock;
  options.data_dir = data_dir;
  options.background_flush = false;
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<engine::StorageEngine> engine,
                        engine::StorageEngine::Open(options));
  const double cpu1 = CpuNow();
  const double wall1 = WallNow();
  Status status;
  Result<logql::Query> parsed = logql::ParseQuery(query.text);
  if (!parsed.ok()) {
    status = parsed.status();
  } else {
    status = RunParsed(*engine, tenant, *parsed, query, &f);
  }
  f.query_wall_s = WallNow() - wall1;
  f.query_cpu_s = CpuNow() - cpu1;
  f.open_cpu_s = cpu1 - cpu0;
  const Status closed = engine->Close();
  if (!status.ok()) return status.WithContext(query.text);
  SILT_RETURN_IF_ERROR(closed);
  if (f.blocks_failed != 0) {
    return Status::Corruption(std::to_string(f.blocks_failed) + " blocks of " + data_dir +
                              " could not be read; delete the directory to regenerate it");
  }
  return f;
}

}  // namespace silt::bench
