// Metric query evaluation and result assembly (metric_query_executor.h).
#include "aggregator/logql/metric/metric_query_executor.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <variant>

#include "aggregator/logql/exec/query_deadline.h"
#include "aggregator/logql/metric/binary_evaluator.h"
#include "aggregator/logql/metric/eval_context.h"
#include "aggregator/logql/metric/label_replace.h"
#include "aggregator/logql/metric/range_evaluator.h"
#include "aggregator/logql/metric/vector_aggregation.h"

namespace silt::logql::metric {
namespace {

Result<StepValues> Evaluate(const MetricExpr& expr, const EvalContext& ctx);

// Charges the slots of a node's result to the query (once per node; the range and vector
// aggregations charge as they go and land here already charged).
Result<StepValues> Charged(StepValues values, const EvalContext& ctx) {
  if (values.memory.memory() == nullptr) {
    values.memory = exec::MemoryLease(ctx.memory, exec::MemoryUse::kSteps);
  }
  SILT_RETURN_IF_ERROR(values.memory.Resize(values.SlotBytes()));
  return values;
}

struct NodeEvaluator {
  const EvalContext& ctx;

  Result<StepValues> operator()(const RangeAggregation& r) const {
    return EvaluateRangeAggregation(r, ctx);
  }
  Result<StepValues> operator()(const VectorAggregation& v) const {
    SILT_ASSIGN_OR_RETURN(StepValues inner, Evaluate(*v.inner, ctx));
    return AggregateVectors(v, std::move(inner), ctx.memory);
  }
  Result<StepValues> operator()(const BinaryExpr& b) const {
    SILT_ASSIGN_OR_RETURN(StepValues lhs, Evaluate(*b.lhs, ctx));
    SILT_ASSIGN_OR_RETURN(StepValues rhs, Evaluate(*b.rhs, ctx));
    SILT_RETURN_IF_ERROR(ctx.deadline->Check());
    SILT_ASSIGN_OR_RETURN(StepValues out, EvaluateBinary(b, std::move(lhs), std::move(rhs)));
    return Charged(std::move(out), ctx);
  }
  Result<StepValues> operator()(const NumberLiteral& n) const {
    return StepValues::Scalar(n.value);
  }
  Result<StepValues> operator()(const VectorLiteral& v) const {
    StepValues out;
    out.steps.assign(ctx.grid.count, Vector{Sample{{}, v.value}});
    return Charged(std::move(out), ctx);
  }
  Result<StepValues> operator()(const LabelReplace& l) const {
    SILT_ASSIGN_OR_RETURN(StepValues inner, Evaluate(*l.inner, ctx));
    SILT_ASSIGN_OR_RETURN(StepValues out, ApplyLabelReplace(l, std::move(inner)));
    return Charged(std::move(out), ctx);
  }
};

Result<StepValues> Evaluate(const MetricExpr& expr, const EvalContext& ctx) {
  return std::visit(NodeEvaluator{ctx}, expr.node);
}

Status SeriesLimit(size_t limit) {
  return Status::ResourceExhausted(
      "maximum of series (" + std::to_string(limit) +
      ") reached for a single query; aggregate with sum by (...) or narrow the selector, or "
      "raise the series limit");
}

Result<StepGrid> GridOf(const MetricQueryParams& p, const MetricExecutorOptions& o) {
  if (p.instant) return StepGrid{p.end, 1, 1};
  if (p.step <= 0) {
    return Status::InvalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive "
        "integer");
  }
  if (p.end < p.start) {
    return Status::InvalidArgument("end timestamp must not be before start time (start " +
                                   std::to_string(p.start) + ", end " + std::to_string(p.end) +
                                   " ns); pass an end after the start");
  }
  const int64_t steps = (p.end - p.start) / p.step + 1;
  if (o.max_points != 0 && steps > static_cast<int64_t>(o.max_points)) {
    return Status::InvalidArgument(
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
        "resolution (?step=XX) (" +
        std::to_string(steps) + " steps)");
  }
  return StepGrid{p.start, p.step, static_cast<size_t>(steps)};
}

bool OuterSortDescending(const MetricExpr& expr, bool* sorted) {
  const auto* v = std::get_if<VectorAggregation>(&expr.node);
  *sorted = v != nullptr && (v->op == VectorOp::kSort || v->op == VectorOp::kSortDesc);
  return *sorted && v->op == VectorOp::kSortDesc;
}

Status ToMatrix(const StepValues& values, const StepGrid& grid, size_t max_series,
                MetricQueryResult* result) {
  result->type = MetricQueryResult::Type::kMatrix;
  if (values.is_scalar) {
    exec::MetricSeries series;
    for (size_t i = 0; i < grid.count; ++i) series.points.push_back({grid.At(i), values.scalar});
    result->matrix.push_back(std::move(series));
    return Status::Ok();
  }
  std::unordered_map<labels::LabelSet, size_t> index;
  for (size_t i = 0; i < values.steps.size(); ++i) {
    for (const Sample& s : values.steps[i]) {
      auto [it, inserted] = index.try_emplace(s.labels, result->matrix.size());
      if (inserted) {
        if (max_series != 0 && result->matrix.size() >= max_series) return SeriesLimit(max_series);
        result->matrix.push_back(exec::MetricSeries{s.labels, {}});
      }
      result->matrix[it->second].points.push_back({grid.At(i), s.value});
    }
  }
  std::sort(
      result->matrix.begin(), result->matrix.end(),
      [](const exec::MetricSeries& a, const exec::MetricSeries& b) { return a.labels < b.labels; });
  return Status::Ok();
}

Status ToInstant(const MetricExpr& expr, StepValues values, size_t max_series,
                 MetricQueryResult* result) {
  if (values.is_scalar) {
    result->type = MetricQueryResult::Type::kScalar;
    result->scalar = values.scalar;
    return Status::Ok();
  }
  result->type = MetricQueryResult::Type::kVector;
  Vector& vector = values.steps.front();
  if (max_series != 0 && vector.size() > max_series) return SeriesLimit(max_series);
  bool sorted = false;
  const bool descending = OuterSortDescending(expr, &sorted);
  if (sorted) {
    SortByValue(&vector, descending);
  } else {
    std::sort(vector.begin(), vector.end(),
              [](const Sample& a, const Sample& b) { return a.labels < b.labels; });
  }
  for (Sample& s : vector) result->vector.push_back({std::move(s.labels), s.value});
  return Status::Ok();
}

Result<MetricQueryResult> Execute(const engine::StorageEngine& engine, std::string_view tenant,
                                  const MetricExpr& expr, const MetricQueryParams& params,
                                  const MetricExecutorOptions& options, exec::QueryMemory* memory) {
  const int64_t started = options.clock != nullptr ? options.clock->MonotonicNanos() : 0;
  SILT_ASSIGN_OR_RETURN(StepGrid grid, GridOf(params, options));
  const exec::QueryDeadline deadline(options.clock, options.timeout_ns);
  MetricQueryResult result;
  EvalContext ctx{&engine,   std::string(tenant), grid,  options.use_blooms,
                  &deadline, &result.stats,       memory};
  SILT_ASSIGN_OR_RETURN(StepValues values, Evaluate(expr, ctx));
  if (params.instant) {
    result.timestamp_ns = params.end;
    SILT_RETURN_IF_ERROR(ToInstant(expr, std::move(values), options.max_series, &result));
  } else {
    SILT_RETURN_IF_ERROR(ToMatrix(values, grid, options.max_series, &result));
  }
  result.stats.peak_memory_bytes = memory->peak();
  if (options.clock != nullptr) {
    result.stats.exec_time_ns = options.clock->MonotonicNanos() - started;
  }
  return result;
}

}  // namespace

Result<MetricQueryResult> ExecuteMetricQuery(const engine::StorageEngine& engine,
                                             std::string_view tenant, const MetricExpr& expr,
                                             const MetricQueryParams& params,
                                             const MetricExecutorOptions& options) {
  if (options.memory != nullptr) {
    return Execute(engine, tenant, expr, params, options, options.memory);
  }
  exec::QueryMemory memory(options.max_query_memory_bytes, options.max_query_memory_name);
  return Execute(engine, tenant, expr, params, options, &memory);
}

std::string EncodeMetricResponse(const MetricQueryResult& result) {
  switch (result.type) {
    case MetricQueryResult::Type::kVector:
      return exec::EncodeVectorResponse(result.vector, result.timestamp_ns, result.stats);
    case MetricQueryResult::Type::kScalar:
      return exec::EncodeScalarResponse(result.timestamp_ns, result.scalar, result.stats);
    case MetricQueryResult::Type::kMatrix:
      break;
  }
  return exec::EncodeMatrixResponse(result.matrix, result.stats);
}

}  // namespace silt::logql::metric
