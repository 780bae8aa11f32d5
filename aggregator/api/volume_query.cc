#include "aggregator/api/volume_query.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "aggregator/api/loki_query.h"
#include "aggregator/logql/exec/loki_json.h"
#include "aggregator/logql/exec/query_deadline.h"
#include "shared/json/json_string.h"
#include "shared/labels/validation.h"
#include "shared/time/duration.h"

namespace silt::api {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The steps of a range: aligned to multiples of the step since the epoch, the first starting at
// `from`, each ending 1 ms before the next boundary and the last at `through` (Loki's
// util.ForInterval with an inclusive end). Without a step, one step ending at `through`.
class Steps {
 public:
  Steps(int64_t from, int64_t through, int64_t step) : from_(from), through_(through), step_(step) {
    if (step_ <= 0) return;
    first_ = FloorDiv(from, step) * step;
    count_ = through > first_ ? static_cast<size_t>(FloorDiv(through - 1 - first_, step) + 1) : 1;
  }

  size_t count() const { return count_; }
  // The step holding `timestamp`, clamped into the range.
  size_t IndexOf(int64_t timestamp) const {
    if (step_ <= 0) return 0;
    const int64_t t = std::clamp(timestamp, from_, through_);
    return std::min(count_ - 1, static_cast<size_t>(FloorDiv(t - first_, step_)));
  }
  int64_t TimestampOf(size_t index) const {
    if (step_ <= 0) return through_;
    const int64_t boundary = first_ + static_cast<int64_t>(index + 1) * step_;
    if (boundary >= through_) return through_;
    return boundary - std::min(time::kMillisecond, step_);
  }

 private:
  int64_t from_;
  int64_t through_;
  int64_t step_;
  int64_t first_ = 0;
  size_t count_ = 1;
};

// Bytes per step index of one stream, or of one group.
using StepBytes = std::map<size_t, uint64_t>;

// What the engine holds of `stream` in the range, per step (see the header for the rules).
StepBytes StreamBytes(const engine::StreamSelection& stream, const VolumeQueryRequest& r,
                      const Steps& steps) {
  StepBytes out;
  for (const engine::ChunkPiece& piece : stream.chunks) {
    for (const index::BlockRef& block : piece.blocks) {
      if (block.max_ts < r.from || block.min_ts > r.through) continue;
      out[steps.IndexOf(block.max_ts)] += block.uncompressed_size;
    }
  }
  if (!stream.head.has_value()) return out;
  const int64_t end = r.through == std::numeric_limits<int64_t>::max() ? r.through : r.through + 1;
  for (auto it = stream.head->NewIterator(r.from, end, store::Direction::kForward); it.Valid();
       it.Next()) {
    out[steps.IndexOf(it.timestamp())] += it.line().size();
  }
  return out;
}

// The groups the streams add up into, as Loki's index forms them.
class VolumeGroups {
 public:
  VolumeGroups(const VolumeQueryRequest& request, size_t max_series) : r_(request) {
    max_series_ = max_series;
    for (const std::string& name : r_.target_labels) by_.insert(name);
    if (by_.empty()) {
      for (const labels::Matcher& m : r_.matchers) by_.insert(m.name());
    }
    include_all_ = r_.target_labels.empty() && r_.matchers.empty();
  }

  Status Add(const labels::LabelSet& stream, const StepBytes& bytes) {
    if (r_.aggregate_by == VolumeAggregation::kLabels) {
      for (labels::LabelView label : stream) {
        if (!r_.target_labels.empty() && by_.count(std::string(label.name)) == 0) continue;
        std::vector<labels::Label> metric = {{std::string(label.name), ""}};
        SILT_RETURN_IF_ERROR(AddTo(std::string(label.name), std::move(metric), bytes));
      }
      return Status::Ok();
    }
    labels::LabelSetBuilder builder(stream);
    for (labels::LabelView label : stream) {
      if (!include_all_ && by_.count(std::string(label.name)) == 0) builder.Del(label.name);
    }
    const labels::LabelSet group = builder.Build();
    std::vector<labels::Label> metric;
    for (labels::LabelView label : group) {
      metric.push_back({std::string(label.name), std::string(label.value)});
    }
    return AddTo(group.ToString(), std::move(metric), bytes);
  }

  // The top `limit` groups of every step, each with the steps it made the cut in, sorted.
  std::vector<VolumeSeries> Finish(const Steps& steps) const;

 private:
  struct Group {
    std::vector<labels::Label> metric;
    StepBytes bytes;
  };

  Status AddTo(std::string key, std::vector<labels::Label> metric, const StepBytes& bytes) {
    auto [it, inserted] = groups_.try_emplace(std::move(key));
    if (inserted) {
      if (max_series_ != 0 && groups_.size() > max_series_) {
        return Status::ResourceExhausted(
            "the query hit the max number of series limit (limit: " + std::to_string(max_series_) +
            " series); narrow the selector or pass targetLabels with fewer labels");
      }
      it->second.metric = std::move(metric);
    }
    for (const auto& [step, n] : bytes) it->second.bytes[step] += n;
    return Status::Ok();
  }

  const VolumeQueryRequest& r_;
  size_t max_series_ = 0;
  std::unordered_set<std::string> by_;
  bool include_all_ = false;
  std::unordered_map<std::string, Group> groups_;
};

struct Ranked {
  const std::string* key;
  uint64_t bytes;
};

bool Larger(const Ranked& a, const Ranked& b) {
  return a.bytes != b.bytes ? a.bytes > b.bytes : *a.key < *b.key;
}

std::vector<VolumeSeries> VolumeGroups::Finish(const Steps& steps) const {
  std::map<size_t, std::vector<Ranked>> per_step;
  for (const auto& [key, group] : groups_) {
    for (const auto& [step, bytes] : group.bytes) per_step[step].push_back({&key, bytes});
  }
  std::map<std::string_view, VolumeSeries> kept;
  for (auto& [step, ranked] : per_step) {
    std::sort(ranked.begin(), ranked.end(), Larger);
    if (ranked.size() > r_.limit) ranked.resize(r_.limit);
    for (const Ranked& entry : ranked) {
      VolumeSeries& series = kept[*entry.key];
      if (series.samples.empty()) series.metric = groups_.at(*entry.key).metric;
      series.samples.push_back({steps.TimestampOf(step), entry.bytes});
    }
  }
  std::vector<std::pair<std::string_view, VolumeSeries>> sorted(kept.begin(), kept.end());
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    const uint64_t x = a.second.samples.front().bytes;
    const uint64_t y = b.second.samples.front().bytes;
    return x != y ? x > y : a.first < b.first;
  });
  std::vector<VolumeSeries> out;
  out.reserve(sorted.size());
  for (auto& [key, series] : sorted) out.push_back(std::move(series));
  return out;
}

// The streams `request` selects in [from, through]; for `{}`, every stream of the tenant (the
// union over its label names, as the index cannot select without a matcher).
Result<std::vector<engine::StreamSelection>> SelectStreams(
    const engine::StorageEngine& engine, std::string_view tenant,
    std::span<const labels::Matcher> matchers, int64_t from, int64_t through) {
  const int64_t end = through == std::numeric_limits<int64_t>::max() ? through : through + 1;
  if (!matchers.empty()) return engine.Select(tenant, matchers, from, end);
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names, engine.LabelNames(tenant, {}, from, end));
  std::vector<engine::StreamSelection> all;
  std::unordered_set<labels::LabelSet> seen;
  for (const std::string& name : names) {
    SILT_ASSIGN_OR_RETURN(labels::Matcher any,
                          labels::Matcher::Create(labels::MatchType::kRegexMatch, name, ".+"));
    SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> found,
                          engine.Select(tenant, std::span(&any, 1), from, end));
    for (engine::StreamSelection& stream : found) {
      if (seen.insert(stream.labels).second) all.push_back(std::move(stream));
    }
  }
  return all;
}

// The selector's matchers plus `name=~".+"` for every target label it does not constrain.
Result<std::vector<labels::Matcher>> MatchersWithTargets(const VolumeQueryRequest& r) {
  std::vector<labels::Matcher> out = r.matchers;
  for (const std::string& target : r.target_labels) {
    const bool constrained =
        std::any_of(r.matchers.begin(), r.matchers.end(),
                    [&](const labels::Matcher& m) { return m.name() == target; });
    if (constrained) continue;
    SILT_ASSIGN_OR_RETURN(labels::Matcher any,
                          labels::Matcher::Create(labels::MatchType::kRegexMatch, target, ".+"));
    out.push_back(std::move(any));
  }
  return out;
}

Result<size_t> ParseLimit(std::string_view text) {
  if (text.empty()) return kDefaultVolumeLimit;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Status::InvalidArgument("limit '" + std::string(text) +
                                   "': expected a positive integer such as 100");
  }
  if (value < 0) return Status::InvalidArgument("limit must be a positive value");
  return value == 0 ? kDefaultVolumeLimit : static_cast<size_t>(value);
}

Result<std::vector<std::string>> ParseTargetLabels(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const size_t comma = text.find(',');
    std::string_view name = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) continue;
    if (!labels::IsValidLabelName(name)) {
      return Status::InvalidArgument("targetLabels: invalid label name '" + std::string(name) +
                                     "': names must match [a-zA-Z_][a-zA-Z0-9_]*; give a "
                                     "comma-separated list of label names, e.g. "
                                     "targetLabels=job,namespace");
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.emplace_back(name);
  }
  return out;
}

Status ParseStep(const http::QueryParams& params, VolumeQueryRequest* r) {
  r->step = DefaultStep(r->from, r->through);
  if (std::optional<std::string_view> text = params.Get("step"); text && !text->empty()) {
    SILT_ASSIGN_OR_RETURN(r->step, ParseSecondsOrDuration("step", std::string(*text)));
  }
  if (r->step <= 0) {
    return Status::InvalidArgument(
        "zero or negative query resolution step widths are not accepted. Try a positive integer");
  }
  if ((r->through - r->from) / r->step > kMaxVolumeSteps) {
    return Status::InvalidArgument(
        "exceeded maximum resolution of 11,000 points per time series. Try increasing the value "
        "of the step parameter");
  }
  return Status::Ok();
}

void AppendSample(const VolumeSample& sample, std::string* out) {
  *out += '[';
  logql::exec::AppendSampleTime(sample.timestamp, out);
  *out += ",\"" + std::to_string(sample.bytes) + "\"]";
}

void AppendMetric(const std::vector<labels::Label>& metric, std::string* out) {
  *out += "{\"metric\":{";
  for (size_t i = 0; i < metric.size(); ++i) {
    if (i != 0) *out += ',';
    json::AppendJsonString(metric[i].name, out);
    *out += ':';
    json::AppendJsonString(metric[i].value, out);
  }
  *out += '}';
}

}  // namespace

Status ParseVolumeParams(const http::QueryParams& params, bool range, VolumeQueryRequest* request) {
  SILT_ASSIGN_OR_RETURN(request->limit, ParseLimit(params.GetOr("limit", "")));
  const std::string_view aggregate_by = params.GetOr("aggregateBy", "");
  if (aggregate_by.empty() || aggregate_by == "series") {
    request->aggregate_by = VolumeAggregation::kSeries;
  } else if (aggregate_by == "labels") {
    request->aggregate_by = VolumeAggregation::kLabels;
  } else {
    return Status::InvalidArgument("invalid aggregation option '" + std::string(aggregate_by) +
                                   "': aggregateBy must be series or labels");
  }
  SILT_ASSIGN_OR_RETURN(request->target_labels,
                        ParseTargetLabels(params.GetOr("targetLabels", "")));
  if (!range) return Status::Ok();
  return ParseStep(params, request);
}

Result<std::vector<VolumeSeries>> RunVolumeQuery(const engine::StorageEngine& engine,
                                                 std::string_view tenant,
                                                 const VolumeQueryRequest& request,
                                                 const VolumeQueryOptions& options) {
  const logql::exec::QueryDeadline deadline(options.clock, options.timeout_ns);
  SILT_ASSIGN_OR_RETURN(const std::vector<labels::Matcher> matchers, MatchersWithTargets(request));
  SILT_ASSIGN_OR_RETURN(const std::vector<engine::StreamSelection> streams,
                        SelectStreams(engine, tenant, matchers, request.from, request.through));
  const Steps steps(request.from, request.through, request.step);
  VolumeGroups groups(request, options.max_series);
  for (const engine::StreamSelection& stream : streams) {
    SILT_RETURN_IF_ERROR(deadline.Check());
    SILT_RETURN_IF_ERROR(groups.Add(stream.labels, StreamBytes(stream, request, steps)));
  }
  return groups.Finish(steps);
}

std::string EncodeVolumeResponse(std::span<const VolumeSeries> series, bool range) {
  std::string out = R"({"status":"success","data":{"resultType":")";
  out += range ? "matrix" : "vector";
  out += R"(","result":[)";
  for (size_t i = 0; i < series.size(); ++i) {
    if (i != 0) out += ',';
    AppendMetric(series[i].metric, &out);
    if (range) {
      out += ",\"values\":[";
      for (size_t j = 0; j < series[i].samples.size(); ++j) {
        if (j != 0) out += ',';
        AppendSample(series[i].samples[j], &out);
      }
      out += "]}";
    } else {
      out += ",\"value\":";
      AppendSample(series[i].samples.front(), &out);
      out += '}';
    }
  }
  out += "]}}";
  return out;
}

}  // namespace silt::api
