// Vector aggregations per step (vector_aggregation.h).
#include "aggregator/logql/metric/vector_aggregation.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace silt::logql::metric {
namespace {

bool Listed(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The running state of one group for the value aggregations.
struct GroupState {
  labels::LabelSet labels;
  double value = 0;
  double mean = 0;
  double count = 0;
};

void Accumulate(VectorOp op, double v, GroupState* g) {
  g->count++;
  switch (op) {
    case VectorOp::kSum:
      g->value += v;
      break;
    case VectorOp::kMin:
      if (g->count == 1 || v < g->value || std::isnan(g->value)) g->value = v;
      break;
    case VectorOp::kMax:
      if (g->count == 1 || v > g->value || std::isnan(g->value)) g->value = v;
      break;
    case VectorOp::kCount:
      g->value = g->count;
      break;
    case VectorOp::kAvg:
      g->mean += (v - g->mean) / g->count;
      break;
    case VectorOp::kStddev:
    case VectorOp::kStdvar: {
      const double delta = v - g->mean;
      g->mean += delta / g->count;
      g->value += delta * (v - g->mean);
      break;
    }
    default:
      break;
  }
}

double Final(VectorOp op, const GroupState& g) {
  switch (op) {
    case VectorOp::kAvg:
      return g.mean;
    case VectorOp::kStdvar:
      return g.value / g.count;
    case VectorOp::kStddev:
      return std::sqrt(g.value / g.count);
    default:
      return g.value;
  }
}

// A hash or tree node's bookkeeping besides its key and value (an estimate).
constexpr size_t kNodeOverhead = 4 * sizeof(void*);

// One step's groups, charged per new group to `groups_memory` (released by the caller).
Result<Vector> AggregateValues(VectorOp op, const std::optional<Grouping>& grouping,
                               const Vector& in, exec::MemoryLease* groups_memory) {
  std::vector<GroupState> groups;
  std::unordered_map<labels::LabelSet, size_t> index;
  for (const Sample& s : in) {
    labels::LabelSet key = GroupLabels(s.labels, grouping);
    auto [it, inserted] = index.try_emplace(key, groups.size());
    if (inserted) {
      SILT_RETURN_IF_ERROR(groups_memory->Grow(2 * sizeof(GroupState) + kNodeOverhead +
                                               sizeof(size_t) + key.MemoryBytes()));
      groups.push_back(GroupState{std::move(key)});
    }
    Accumulate(op, s.value, &groups[it->second]);
  }
  Vector out;
  out.reserve(groups.size());
  for (const GroupState& g : groups) out.push_back(Sample{g.labels, Final(op, g)});
  return out;
}

// True when `a` ranks before `b` for topk (largest first) or bottomk (smallest first).
bool RanksBefore(const Sample& a, const Sample& b, bool largest) {
  const bool a_nan = std::isnan(a.value);
  const bool b_nan = std::isnan(b.value);
  if (a_nan != b_nan) return b_nan;
  if (!a_nan && a.value != b.value) return largest ? a.value > b.value : a.value < b.value;
  return a.labels < b.labels;
}

// One step's top k per group; the groups' copies of the samples are charged to `groups_memory`
// up front (released by the caller).
Result<Vector> KeepTop(const std::optional<Grouping>& grouping, int64_t k, bool largest,
                       const Vector& in, exec::MemoryLease* groups_memory) {
  SILT_RETURN_IF_ERROR(groups_memory->Grow(in.size() * (2 * sizeof(Sample) + kNodeOverhead)));
  std::map<labels::LabelSet, Vector> groups;
  for (const Sample& s : in) groups[GroupLabels(s.labels, grouping)].push_back(s);
  Vector out;
  for (auto& [key, members] : groups) {
    const size_t keep = std::min(members.size(), static_cast<size_t>(k));
    std::partial_sort(
        members.begin(), members.begin() + static_cast<ptrdiff_t>(keep), members.end(),
        [largest](const Sample& a, const Sample& b) { return RanksBefore(a, b, largest); });
    out.insert(out.end(), members.begin(), members.begin() + static_cast<ptrdiff_t>(keep));
  }
  return out;
}

}  // namespace

labels::LabelSet GroupLabels(const labels::LabelSet& labels,
                             const std::optional<Grouping>& grouping) {
  if (!grouping.has_value()) return {};
  std::vector<labels::LabelView> kept;
  for (const labels::LabelView label : labels) {
    if (label.name == "__name__") continue;
    if (Listed(grouping->labels, label.name) != grouping->without) kept.push_back(label);
  }
  if (kept.size() == labels.size()) return labels;
  return labels::LabelSet::FromSorted(std::span<const labels::LabelView>(kept)).value();
}

void SortByValue(Vector* vector, bool descending) {
  std::sort(vector->begin(), vector->end(), [descending](const Sample& a, const Sample& b) {
    return RanksBefore(a, b, descending);
  });
}

Result<StepValues> AggregateVectors(const VectorAggregation& aggregation, StepValues input,
                                    exec::QueryMemory* memory) {
  if (input.is_scalar) {
    return Status::InvalidArgument(
        "expected type instant vector in aggregation expression, got scalar: " +
        std::string(VectorOpName(aggregation.op)) +
        "() needs a vector such as rate(...) or "
        "vector(1)");
  }
  const VectorOp op = aggregation.op;
  for (Vector& step : input.steps) {
    exec::MemoryLease groups(memory, exec::MemoryUse::kSteps);  // released after each step
    switch (op) {
      case VectorOp::kTopK:
      case VectorOp::kBottomK: {
        SILT_ASSIGN_OR_RETURN(step, KeepTop(aggregation.grouping, aggregation.param.value_or(1),
                                            op == VectorOp::kTopK, step, &groups));
        break;
      }
      case VectorOp::kSort:
      case VectorOp::kSortDesc:
        SortByValue(&step, op == VectorOp::kSortDesc);
        break;
      default: {
        SILT_ASSIGN_OR_RETURN(step, AggregateValues(op, aggregation.grouping, step, &groups));
        break;
      }
    }
  }
  if (input.memory.memory() == nullptr) {
    input.memory = exec::MemoryLease(memory, exec::MemoryUse::kSteps);
  }
  SILT_RETURN_IF_ERROR(input.memory.Resize(input.SlotBytes()));
  return input;
}

}  // namespace silt::logql::metric
