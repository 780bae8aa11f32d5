// Binary operations (binary_evaluator.h).
#include "aggregator/logql/metric/binary_evaluator.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace silt::logql::metric {
namespace {

struct Elem {
  double value = 0;
  bool keep = true;
};

// Prometheus' vectorElemBinop: arithmetic keeps; a comparison keeps `lhs` where it holds.
Elem ApplyOp(BinaryOp op, double lhs, double rhs) {
  switch (op) {
    case BinaryOp::kAdd: return {lhs + rhs};
    case BinaryOp::kSub: return {lhs - rhs};
    case BinaryOp::kMul: return {lhs * rhs};
    case BinaryOp::kDiv: return {lhs / rhs};
    case BinaryOp::kMod: return {std::fmod(lhs, rhs)};
    case BinaryOp::kPow: return {std::pow(lhs, rhs)};
    case BinaryOp::kEq: return {lhs, lhs == rhs};
    case BinaryOp::kNotEq: return {lhs, lhs != rhs};
    case BinaryOp::kGt: return {lhs, lhs > rhs};
    case BinaryOp::kGe: return {lhs, lhs >= rhs};
    case BinaryOp::kLt: return {lhs, lhs < rhs};
    case BinaryOp::kLe: return {lhs, lhs <= rhs};
    default: return {0, false};
  }
}

bool Listed(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The labels two samples are matched by.
labels::LabelSet Signature(const labels::LabelSet& labels, const VectorMatching& m) {
  std::vector<labels::LabelView> kept;
  for (const labels::LabelView label : labels) {
    if (label.name == "__name__") continue;
    if (Listed(m.labels, label.name) == m.on) kept.push_back(label);
  }
  if (kept.size() == labels.size()) return labels;
  return labels::LabelSet::FromSorted(std::span<const labels::LabelView>(kept)).value();
}

labels::LabelSet ResultLabels(const labels::LabelSet& many, const labels::LabelSet& one,
                              const VectorMatching& m) {
  if (m.card == VectorMatching::Card::kOneToOne) {
    if (m.labels.empty() && !m.on) return many;
    return Signature(many, m);
  }
  labels::LabelSetBuilder builder(many);
  for (const std::string& name : m.include) {
    std::optional<std::string_view> value = one.Get(name);
    if (value.has_value()) {
      builder.Set(name, *value);
    } else {
      builder.Del(name);
    }
  }
  return builder.Build();
}

Vector SetOperation(BinaryOp op, const VectorMatching& m, const Vector& lhs, const Vector& rhs) {
  Vector out;
  if (op == BinaryOp::kOr) {
    std::unordered_set<labels::LabelSet> left;
    for (const Sample& s : lhs) {
      left.insert(Signature(s.labels, m));
      out.push_back(s);
    }
    for (const Sample& s : rhs) {
      if (!left.contains(Signature(s.labels, m))) out.push_back(s);
    }
    return out;
  }
  std::unordered_set<labels::LabelSet> right;
  for (const Sample& s : rhs) right.insert(Signature(s.labels, m));
  const bool want = op == BinaryOp::kAnd;
  for (const Sample& s : lhs) {
    if (right.contains(Signature(s.labels, m)) == want) out.push_back(s);
  }
  return out;
}

Status DuplicateOnOneSide(const labels::LabelSet& sig, const Sample& a, const Sample& b,
                          bool one_is_left) {
  return Status::InvalidArgument(
      "found duplicate series for the match group " + sig.ToString() + " on the " +
      (one_is_left ? "left" : "right") + " hand-side of the operation: [" + a.labels.ToString() +
      ", " + b.labels.ToString() +
      "];many-to-many matching not allowed: matching labels must be unique on one side");
}

Result<Vector> ScalarVector(const BinaryExpr& expr, double scalar, const Vector& vector,
                            bool scalar_left) {
  Vector out;
  for (const Sample& s : vector) {
    const double l = scalar_left ? scalar : s.value;
    const double r = scalar_left ? s.value : scalar;
    Elem e = ApplyOp(expr.op, l, r);
    if (IsComparison(expr.op)) e.value = s.value;
    if (expr.return_bool) {
      e.value = e.keep ? 1 : 0;
      e.keep = true;
    }
    if (e.keep) out.push_back(Sample{s.labels, e.value});
  }
  return out;
}

Result<StepValues> BothScalar(const BinaryExpr& expr, double lhs, double rhs) {
  if (IsComparison(expr.op) && !expr.return_bool) {
    return Status::InvalidArgument(
        "comparisons between scalars must use BOOL modifier: write `" + std::string("x ") +
        std::string(BinaryOpText(expr.op)) + " bool y`");
  }
  const Elem e = ApplyOp(expr.op, lhs, rhs);
  if (IsComparison(expr.op)) return StepValues::Scalar(e.keep ? 1 : 0);
  return StepValues::Scalar(e.value);
}

using OneSide = std::unordered_map<labels::LabelSet, const Sample*>;

// The "one" side by signature; two samples with one signature are a many-to-many match.
Result<OneSide> IndexOneSide(const VectorMatching& m, const Vector& one, bool one_is_left) {
  OneSide index;
  for (const Sample& s : one) {
    labels::LabelSet sig = Signature(s.labels, m);
    auto [it, inserted] = index.try_emplace(sig, &s);
    if (!inserted) return DuplicateOnOneSide(sig, s, *it->second, one_is_left);
  }
  return index;
}

// One-to-one: one match per signature. Many-to-one: distinct result labels per signature.
Status CheckUnique(const VectorMatching& m, const Sample& many, const labels::LabelSet& sig,
                   const labels::LabelSet& result, std::unordered_set<labels::LabelSet>* seen) {
  if (m.card == VectorMatching::Card::kOneToOne) {
    if (!seen->empty()) {
      return Status::InvalidArgument(
          "multiple matches for labels: many-to-one matching must be explicit "
          "(group_left/group_right); series " + many.labels.ToString() + " match on " +
          sig.ToString());
    }
  } else if (seen->contains(result)) {
    return Status::InvalidArgument(
        "multiple matches for labels: grouping labels must ensure unique matches; " +
        result.ToString() + " would appear twice");
  }
  seen->insert(result);
  return Status::Ok();
}

}  // namespace

Result<Vector> VectorBinary(const BinaryExpr& expr, const Vector& lhs_in, const Vector& rhs_in) {
  const VectorMatching m = expr.matching.value_or(VectorMatching{});
  if (IsSetOperation(expr.op)) return SetOperation(expr.op, m, lhs_in, rhs_in);
  if (lhs_in.empty() || rhs_in.empty()) return Vector{};
  const bool swapped = m.card == VectorMatching::Card::kOneToMany;
  const Vector& lhs = swapped ? rhs_in : lhs_in;  // the "many" side
  SILT_ASSIGN_OR_RETURN(OneSide right, IndexOneSide(m, swapped ? lhs_in : rhs_in, swapped));
  std::unordered_map<labels::LabelSet, std::unordered_set<labels::LabelSet>> matched;
  Vector out;
  for (const Sample& ls : lhs) {
    labels::LabelSet sig = Signature(ls.labels, m);
    auto found = right.find(sig);
    if (found == right.end()) continue;
    const Sample& rs = *found->second;
    Elem e = ApplyOp(expr.op, swapped ? rs.value : ls.value, swapped ? ls.value : rs.value);
    if (expr.return_bool) {
      e.value = e.keep ? 1 : 0;
      e.keep = true;
    }
    if (!e.keep) continue;
    labels::LabelSet result = ResultLabels(ls.labels, rs.labels, m);
    SILT_RETURN_IF_ERROR(CheckUnique(m, ls, sig, result, &matched[sig]));
    out.push_back(Sample{std::move(result), e.value});
  }
  return out;
}

Result<StepValues> EvaluateBinary(const BinaryExpr& expr, StepValues lhs, StepValues rhs) {
  if (IsSetOperation(expr.op) && (lhs.is_scalar || rhs.is_scalar)) {
    return Status::InvalidArgument(
        "set operator \"" + std::string(BinaryOpText(expr.op)) +
        "\" not allowed between a vector and a scalar: both sides must be vectors");
  }
  if (lhs.is_scalar && rhs.is_scalar) return BothScalar(expr, lhs.scalar, rhs.scalar);
  StepValues out;
  const size_t count = lhs.is_scalar ? rhs.steps.size() : lhs.steps.size();
  out.steps.resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (lhs.is_scalar) {
      SILT_ASSIGN_OR_RETURN(out.steps[i], ScalarVector(expr, lhs.scalar, rhs.steps[i], true));
    } else if (rhs.is_scalar) {
      SILT_ASSIGN_OR_RETURN(out.steps[i], ScalarVector(expr, rhs.scalar, lhs.steps[i], false));
    } else {
      SILT_ASSIGN_OR_RETURN(out.steps[i], VectorBinary(expr, lhs.steps[i], rhs.steps[i]));
    }
  }
  return out;
}

}  // namespace silt::logql::metric
