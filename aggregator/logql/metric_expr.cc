// Metric query AST names and printing (metric_expr.h).
#include "aggregator/logql/metric_expr.h"

#include <array>
#include <utility>

#include "aggregator/logql/number_text.h"
#include "shared/labels/string_literal.h"
#include "shared/time/duration.h"

namespace silt::logql {
namespace {

constexpr std::array<std::pair<RangeOp, std::string_view>, 15> kRangeOps = {{
    {RangeOp::kCountOverTime, "count_over_time"}, {RangeOp::kRate, "rate"},
    {RangeOp::kRateCounter, "rate_counter"}, {RangeOp::kBytesOverTime, "bytes_over_time"},
    {RangeOp::kBytesRate, "bytes_rate"}, {RangeOp::kAvgOverTime, "avg_over_time"},
    {RangeOp::kSumOverTime, "sum_over_time"}, {RangeOp::kMinOverTime, "min_over_time"},
    {RangeOp::kMaxOverTime, "max_over_time"}, {RangeOp::kStddevOverTime, "stddev_over_time"},
    {RangeOp::kStdvarOverTime, "stdvar_over_time"},
    {RangeOp::kQuantileOverTime, "quantile_over_time"},
    {RangeOp::kFirstOverTime, "first_over_time"}, {RangeOp::kLastOverTime, "last_over_time"},
    {RangeOp::kAbsentOverTime, "absent_over_time"},
}};

constexpr std::array<std::pair<VectorOp, std::string_view>, 11> kVectorOps = {{
    {VectorOp::kSum, "sum"}, {VectorOp::kAvg, "avg"}, {VectorOp::kMin, "min"},
    {VectorOp::kMax, "max"}, {VectorOp::kCount, "count"}, {VectorOp::kStddev, "stddev"},
    {VectorOp::kStdvar, "stdvar"}, {VectorOp::kTopK, "topk"}, {VectorOp::kBottomK, "bottomk"},
    {VectorOp::kSort, "sort"}, {VectorOp::kSortDesc, "sort_desc"},
}};

void AppendNames(const std::vector<std::string>& names, std::string* out) {
  out->push_back('(');
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out->push_back(',');
    labels::AppendLabelName(names[i], out);
  }
  out->push_back(')');
}

void AppendGrouping(const std::optional<Grouping>& grouping, std::string* out) {
  if (!grouping.has_value()) return;
  out->append(grouping->without ? " without " : " by ");
  AppendNames(grouping->labels, out);
}

void AppendLogRange(const LogRange& range, std::string* out) {
  out->append(range.query.String());
  if (range.unwrap.has_value()) {
    const Unwrap& unwrap = *range.unwrap;
    out->append(" | unwrap ");
    switch (unwrap.conversion) {
      case Unwrap::Conversion::kNone: break;
      case Unwrap::Conversion::kDuration: out->append("duration("); break;
      case Unwrap::Conversion::kDurationSeconds: out->append("duration_seconds("); break;
      case Unwrap::Conversion::kBytes: out->append("bytes("); break;
    }
    labels::AppendLabelName(unwrap.label, out);
    if (unwrap.conversion != Unwrap::Conversion::kNone) out->push_back(')');
    for (const LabelFilterExpr& filter : unwrap.post_filters) out->append(" | " + filter.String());
  }
  out->append("[" + time::FormatDuration(range.range_nanos) + "]");
  if (range.offset_nanos != 0) out->append(" offset " + time::FormatDuration(range.offset_nanos));
}

void AppendMatching(const VectorMatching& m, std::string* out) {
  out->append(m.on ? " on " : " ignoring ");
  AppendNames(m.labels, out);
  if (m.card == VectorMatching::Card::kOneToOne) return;
  out->append(m.card == VectorMatching::Card::kManyToOne ? " group_left " : " group_right ");
  AppendNames(m.include, out);
}

// Appends `operand`, in parentheses when it is a binary operation binding less tightly than
// `min_precedence`.
void AppendOperand(const MetricExpr& operand, int min_precedence, std::string* out) {
  const auto* binary = std::get_if<BinaryExpr>(&operand.node);
  bool parens = binary != nullptr && BinaryPrecedence(binary->op) < min_precedence;
  if (parens) out->push_back('(');
  out->append(operand.String());
  if (parens) out->push_back(')');
}

struct MetricPrinter {
  std::string* out;

  void operator()(const RangeAggregation& r) const {
    out->append(RangeOpName(r.op));
    out->push_back('(');
    if (r.param.has_value()) out->append(FormatNumber(*r.param) + ",");
    AppendLogRange(r.range, out);
    out->push_back(')');
    AppendGrouping(r.grouping, out);
  }
  void operator()(const VectorAggregation& v) const {
    out->append(VectorOpName(v.op));
    AppendGrouping(v.grouping, out);
    out->push_back('(');
    if (v.param.has_value()) out->append(std::to_string(*v.param) + ",");
    out->append(v.inner->String());
    out->push_back(')');
  }
  void operator()(const BinaryExpr& b) const {
    int precedence = BinaryPrecedence(b.op);
    bool right_assoc = b.op == BinaryOp::kPow;
    AppendOperand(*b.lhs, precedence + (right_assoc ? 1 : 0), out);
    out->append(" ");
    out->append(BinaryOpText(b.op));
    if (b.return_bool) out->append(" bool");
    if (b.matching.has_value()) AppendMatching(*b.matching, out);
    out->append(" ");
    AppendOperand(*b.rhs, precedence + (right_assoc ? 0 : 1), out);
  }
  void operator()(const NumberLiteral& n) const { out->append(FormatNumber(n.value)); }
  void operator()(const VectorLiteral& v) const {
    out->append("vector(" + FormatNumber(v.value) + ")");
  }
  void operator()(const LabelReplace& l) const {
    out->append("label_replace(" + l.inner->String());
    for (const std::string* arg : {&l.dst, &l.replacement, &l.src, &l.regex}) {
      out->push_back(',');
      labels::AppendQuoted(*arg, out);
    }
    out->push_back(')');
  }
};

}  // namespace

std::string_view RangeOpName(RangeOp op) {
  for (const auto& [value, name] : kRangeOps) {
    if (value == op) return name;
  }
  return "?";
}

std::optional<RangeOp> RangeOpFromName(std::string_view name) {
  for (const auto& [value, text] : kRangeOps) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view VectorOpName(VectorOp op) {
  for (const auto& [value, name] : kVectorOps) {
    if (value == op) return name;
  }
  return "?";
}

std::optional<VectorOp> VectorOpFromName(std::string_view name) {
  for (const auto& [value, text] : kVectorOps) {
    if (text == name) return value;
  }
  return std::nullopt;
}

std::string_view BinaryOpText(BinaryOp op) {
  static constexpr std::array<std::string_view, 15> kText = {
      "or", "and", "unless", "==", "!=", ">", ">=", "<", "<=", "+", "-", "*", "/", "%", "^"};
  return kText[static_cast<size_t>(op)];
}

int BinaryPrecedence(BinaryOp op) {
  if (op == BinaryOp::kOr) return 1;
  if (op == BinaryOp::kAnd || op == BinaryOp::kUnless) return 2;
  if (IsComparison(op)) return 3;
  if (op == BinaryOp::kAdd || op == BinaryOp::kSub) return 4;
  if (op == BinaryOp::kPow) return 6;
  return 5;
}

bool IsComparison(BinaryOp op) { return op >= BinaryOp::kEq && op <= BinaryOp::kLe; }
bool IsSetOperation(BinaryOp op) { return op <= BinaryOp::kUnless; }

std::string MetricExpr::String() const {
  std::string out;
  std::visit(MetricPrinter{&out}, node);
  return out;
}

}  // namespace silt::logql
