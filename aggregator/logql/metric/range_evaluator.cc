// Range aggregation evaluation: one read per stream, sliding windows (range_evaluator.h).
#include "aggregator/logql/metric/range_evaluator.h"

#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>

#include "aggregator/logql/exec/query_plan.h"
#include "aggregator/logql/exec/stream_cursor.h"
#include "aggregator/logql/metric/sample_extractor.h"
#include "aggregator/logql/pipeline/labels_builder.h"
#include "aggregator/logql/pipeline/pipeline.h"

namespace silt::logql::metric {
namespace {

// How many series are evaluated between two deadline checks.
constexpr size_t kSeriesPerCheck = 64;

Status PipelineError(const labels::LabelSet& series) {
  const std::string error(series.Get(pipeline::kErrorLabel).value_or(""));
  return Status::InvalidArgument(
      "pipeline error: '" + error + "' for series: '" + series.ToString() +
      "'. Use a label filter to intentionally skip this error (e.g | __error__!=\"" + error +
      "\"); to skip all potential errors match empty errors (e.g | __error__=\"\"); the label "
      "filter can also be specified after unwrap (e.g | unwrap latency | __error__=\"\")");
}

// Bookkeeping of one series besides its labels and samples: the RangeSeries and the index's node.
constexpr size_t kSeriesOverhead =
    sizeof(RangeSeries) + sizeof(labels::LabelSet) + sizeof(size_t) + 4 * sizeof(void*);
// The first sample buffer of a series; buffers double from there.
constexpr size_t kFirstSamples = 16;

// Groups samples into series by label set, charging what it buffers to the query's memory.
class SeriesCollector {
 public:
  explicit SeriesCollector(exec::QueryMemory* memory)
      : samples_memory_(memory, exec::MemoryUse::kSamples),
        series_memory_(memory, exec::MemoryUse::kSeries) {}

  Status Add(const labels::LabelSet& labels, int64_t timestamp, double value) {
    auto [it, inserted] = index_.try_emplace(labels, series_.size());
    if (inserted) {
      SILT_RETURN_IF_ERROR(series_memory_.Grow(kSeriesOverhead + labels.MemoryBytes()));
      series_.push_back(RangeSeries{labels, {}});
    }
    std::vector<RangeSample>& samples = series_[it->second].samples;
    if (samples.size() == samples.capacity()) {
      // Charged before the buffer grows, so the budget stops a query before it allocates.
      const size_t next = std::max(kFirstSamples, samples.capacity() * 2);
      SILT_RETURN_IF_ERROR(samples_memory_.Grow((next - samples.capacity()) * sizeof(RangeSample)));
      samples.reserve(next);
    }
    if (!samples.empty() && samples.back().timestamp_ns > timestamp) unsorted_ = true;
    samples.push_back(RangeSample{timestamp, value});
    return Status::Ok();
  }

  // The series sorted by labels, each in time order (several streams may feed one series).
  // Their memory stays charged until the collector goes.
  std::vector<RangeSeries> Finish() {
    std::sort(series_.begin(), series_.end(),
              [](const RangeSeries& a, const RangeSeries& b) { return a.labels < b.labels; });
    if (unsorted_) {
      for (RangeSeries& s : series_) {
        std::stable_sort(s.samples.begin(), s.samples.end(),
                         [](const RangeSample& a, const RangeSample& b) {
                           return a.timestamp_ns < b.timestamp_ns;
                         });
      }
    }
    return std::move(series_);
  }

 private:
  exec::MemoryLease samples_memory_;
  exec::MemoryLease series_memory_;
  std::vector<RangeSeries> series_;
  std::unordered_map<labels::LabelSet, size_t> index_;
  bool unsorted_ = false;
};

Status ReadStream(exec::StreamCursor* cursor, SampleExtractor* extractor,
                  SeriesCollector* collector) {
  double value = 0;
  const labels::LabelSet* series = nullptr;
  while (true) {
    SILT_RETURN_IF_ERROR(cursor->Advance());
    if (!cursor->Valid()) return Status::Ok();
    if (extractor->Extract(cursor->entry(), &value, &series)) {
      SILT_RETURN_IF_ERROR(collector->Add(*series, cursor->timestamp(), value));
    }
  }
}

// Reads every selected stream once over [from, through) into `collector`. The streams are
// counted in the query's stats once per query: `*streams_counted` says whether they were.
Status ReadSeries(const RangeAggregation& aggregation, const EvalContext& ctx, int64_t from,
                  int64_t through, SeriesCollector* collector, bool* streams_counted) {
  const LogQuery& query = aggregation.range.query;
  SILT_ASSIGN_OR_RETURN(
      exec::LogQueryPlan plan,
      exec::PlanLogQuery(query, exec::LogQueryRange{from, through, store::Direction::kForward, 1}));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<Pipeline> compiled, Pipeline::Compile(query.pipeline));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<SampleExtractor> extractor,
                        SampleExtractor::Create(aggregation));
  SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> selected,
                        ctx.engine->Select(ctx.tenant, plan.matchers, from, through));
  exec::BlockCounters blocks;
  engine::BlockFilter filter = exec::MakeBlockFilter(plan, ctx.use_blooms, *ctx.deadline, &blocks);
  exec::QueryStats& stats = *ctx.stats;
  if (!*streams_counted) stats.streams_selected += selected.size();
  *streams_counted = true;
  for (const engine::StreamSelection& stream : selected) {
    SILT_RETURN_IF_ERROR(ctx.deadline->Check());
    stats.chunks_referenced += stream.chunks.size();
    exec::StreamCursor cursor(stream.NewIterator(from, through, store::Direction::kForward, filter),
                              compiled->ForStream(stream.labels), &stats, ctx.deadline, ctx.memory);
    SILT_RETURN_IF_ERROR(ReadStream(&cursor, extractor.get(), collector));
    stats.blocks_failed += cursor.problems().blocks_failed;
  }
  stats.blocks_read += blocks.blocks_read;
  stats.blocks_skipped_by_bloom += blocks.blocks_skipped;
  stats.chunks_read += blocks.chunks_read.size();
  return Status::Ok();
}

}  // namespace

labels::LabelSet AbsentLabels(const std::vector<labels::Matcher>& selector) {
  labels::LabelSetBuilder builder;
  std::vector<std::string> dropped;
  for (const labels::Matcher& m : selector) {
    if (m.type() == labels::MatchType::kEqual && !builder.Get(m.name()).has_value()) {
      builder.Set(m.name(), m.value());
    } else {
      dropped.push_back(m.name());
    }
  }
  for (const std::string& name : dropped) builder.Del(name);
  return builder.Build();
}

Result<std::vector<Vector>> EvaluateWindows(const RangeAggregation& aggregation,
                                            std::span<const RangeSeries> series,
                                            const StepGrid& grid,
                                            const exec::QueryDeadline& deadline,
                                            exec::MemoryLease* steps_memory) {
  const int64_t range = aggregation.range.range_nanos;
  const int64_t offset = aggregation.range.offset_nanos;
  const bool absent = aggregation.op == RangeOp::kAbsentOverTime;
  exec::MemoryLease unused;
  exec::MemoryLease& charged = steps_memory != nullptr ? *steps_memory : unused;
  SILT_RETURN_IF_ERROR(charged.Grow(grid.count * sizeof(Vector)));
  std::vector<Vector> steps(grid.count);
  std::vector<bool> present(absent ? grid.count : 0);
  for (size_t s = 0; s < series.size(); ++s) {
    if (s % kSeriesPerCheck == 0) SILT_RETURN_IF_ERROR(deadline.Check());
    const std::vector<RangeSample>& samples = series[s].samples;
    const bool has_error = series[s].labels.Has(pipeline::kErrorLabel);
    size_t lo = 0;
    size_t hi = 0;
    size_t added = 0;
    for (size_t i = 0; i < grid.count; ++i) {
      const int64_t end = grid.At(i) - offset;
      while (hi < samples.size() && samples[hi].timestamp_ns <= end) ++hi;
      while (lo < hi && samples[lo].timestamp_ns <= end - range) ++lo;
      if (lo == hi) continue;
      if (has_error) return PipelineError(series[s].labels);
      if (absent) {
        present[i] = true;
        continue;
      }
      const std::span<const RangeSample> window(samples.data() + lo, hi - lo);
      steps[i].push_back(
          Sample{series[s].labels,
                 EvalRangeFunction(aggregation.op, aggregation.param, window, end, range)});
      ++added;
    }
    SILT_RETURN_IF_ERROR(charged.Grow(added * sizeof(Sample)));
  }
  if (absent) {
    const labels::LabelSet labels = AbsentLabels(aggregation.range.query.selector);
    for (size_t i = 0; i < grid.count; ++i) {
      if (!present[i]) steps[i].push_back(Sample{labels, 1});
    }
  }
  // What the vectors really hold (growth leaves slack beyond the samples charged above).
  size_t slots = steps.capacity() * sizeof(Vector);
  for (const Vector& v : steps) slots += v.capacity() * sizeof(Sample);
  SILT_RETURN_IF_ERROR(charged.Resize(slots));
  return steps;
}

namespace {

// A slice of the steps spans at most this many ranges (at least one step), so a long query reads
// its data in pieces and holds the samples of one piece at a time; each piece re-reads one range
// before its first step, 1/kRangesPerSlice of what it reads.
constexpr int64_t kRangesPerSlice = 8;

size_t StepsPerSlice(const RangeAggregation& aggregation, const StepGrid& grid) {
  const int64_t span = aggregation.range.range_nanos * kRangesPerSlice;
  const int64_t steps = span / std::max<int64_t>(grid.step, 1);
  return static_cast<size_t>(std::clamp<int64_t>(steps, 1, static_cast<int64_t>(grid.count)));
}

// Reads what the windows of `slice` need and appends their vectors to `values`. When the samples
// do not fit the query's memory, a slice of several steps is evaluated again as two halves
// (exact: every window lies within the half that holds its step).
Status EvaluateSlice(const RangeAggregation& aggregation, const EvalContext& ctx,
                     const StepGrid& slice, StepValues* values, bool* streams_counted) {
  const int64_t range = aggregation.range.range_nanos;
  const int64_t offset = aggregation.range.offset_nanos;
  // Windows are (T - offset - range, T - offset]; the iterator's range is [from, through).
  const int64_t from = slice.start - offset - range + 1;
  const int64_t through = slice.At(slice.count - 1) - offset + 1;
  exec::MemoryLease steps_memory(ctx.memory, exec::MemoryUse::kSteps);
  Result<std::vector<Vector>> steps = [&]() -> Result<std::vector<Vector>> {
    SeriesCollector collector(ctx.memory);
    SILT_RETURN_IF_ERROR(ReadSeries(aggregation, ctx, from, through, &collector, streams_counted));
    const std::vector<RangeSeries> series = collector.Finish();
    return EvaluateWindows(aggregation, series, slice, *ctx.deadline, &steps_memory);
  }();  // the series' samples are released here, the steps travel on
  if (!steps.ok()) {
    if (!exec::IsMemoryLimitError(steps.status()) || slice.count < 2) {
      return steps.status();
    }
    steps_memory.Reset();
    const size_t half = slice.count / 2;
    SILT_RETURN_IF_ERROR(
        EvaluateSlice(aggregation, ctx, {slice.start, slice.step, half}, values, streams_counted));
    return EvaluateSlice(aggregation, ctx, {slice.At(half), slice.step, slice.count - half}, values,
                         streams_counted);
  }
  // The slice's outer vector goes; its step vectors move into `values` (charged there already).
  const size_t bytes =
      steps_memory.bytes() - std::min(steps_memory.bytes(), steps->capacity() * sizeof(Vector));
  steps_memory.Reset();
  SILT_RETURN_IF_ERROR(values->memory.Grow(bytes));
  for (Vector& v : *steps) values->steps.push_back(std::move(v));
  return Status::Ok();
}

}  // namespace

Result<StepValues> EvaluateRangeAggregation(const RangeAggregation& aggregation,
                                            const EvalContext& ctx) {
  StepValues values;
  values.memory = exec::MemoryLease(ctx.memory, exec::MemoryUse::kSteps);
  SILT_RETURN_IF_ERROR(values.memory.Grow(ctx.grid.count * sizeof(Vector)));
  values.steps.reserve(ctx.grid.count);
  const size_t per_slice = StepsPerSlice(aggregation, ctx.grid);
  bool streams_counted = false;
  for (size_t first = 0; first < ctx.grid.count; first += per_slice) {
    const StepGrid slice{ctx.grid.At(first), ctx.grid.step,
                         std::min(per_slice, ctx.grid.count - first)};
    SILT_RETURN_IF_ERROR(EvaluateSlice(aggregation, ctx, slice, &values, &streams_counted));
  }
  return values;
}

}  // namespace silt::logql::metric
