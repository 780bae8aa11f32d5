// The AST of a metric query: range aggregations over log ranges (`rate({app="api"}[5m])`),
// vector aggregations (`sum by (level) (...)`), binary operations with vector matching, literals,
// `vector()` and `label_replace()`. Typed values with structural equality; String() prints
// canonical LogQL that parses back to an equal tree. Thread-safe to read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aggregator/logql/box.h"
#include "aggregator/logql/label_filter_expr.h"
#include "aggregator/logql/log_expr.h"

namespace silt::logql {

enum class RangeOp : unsigned char {
  kCountOverTime, kRate, kRateCounter, kBytesOverTime, kBytesRate, kAvgOverTime, kSumOverTime,
  kMinOverTime, kMaxOverTime, kStddevOverTime, kStdvarOverTime, kQuantileOverTime,
  kFirstOverTime, kLastOverTime, kAbsentOverTime,
};
std::string_view RangeOpName(RangeOp op);
std::optional<RangeOp> RangeOpFromName(std::string_view name);

enum class VectorOp : unsigned char {
  kSum, kAvg, kMin, kMax, kCount, kStddev, kStdvar, kTopK, kBottomK, kSort, kSortDesc,
};
std::string_view VectorOpName(VectorOp op);
std::optional<VectorOp> VectorOpFromName(std::string_view name);

enum class BinaryOp : unsigned char {
  kOr, kAnd, kUnless,                      // set operations
  kEq, kNotEq, kGt, kGe, kLt, kLe,         // comparisons
  kAdd, kSub, kMul, kDiv, kMod, kPow,      // arithmetic
};
std::string_view BinaryOpText(BinaryOp op);
bool IsComparison(BinaryOp op);
// Prometheus precedence: 1 `or`, 2 `and unless`, 3 comparisons, 4 `+ -`, 5 `* / %`, 6 `^`.
int BinaryPrecedence(BinaryOp op);
bool IsSetOperation(BinaryOp op);

// `| unwrap latency`, `| unwrap duration(latency)`, then optional label filters on the result.
struct Unwrap {
  enum class Conversion : unsigned char { kNone, kDuration, kDurationSeconds, kBytes };
  Conversion conversion = Conversion::kNone;
  std::string label;
  std::vector<LabelFilterExpr> post_filters;
  bool operator==(const Unwrap&) const = default;
};

// A log query over a sliding window: `{...} | pipeline | unwrap x [5m] offset 1h`.
struct LogRange {
  LogQuery query;
  std::optional<Unwrap> unwrap;
  int64_t range_nanos = 0;   // > 0
  int64_t offset_nanos = 0;  // 0: none; may be negative
  bool operator==(const LogRange&) const = default;
};

// `by (a, b)` or `without (c)`; `by ()` is allowed and differs from no grouping.
struct Grouping {
  bool without = false;
  std::vector<std::string> labels;
  bool operator==(const Grouping&) const = default;
};

struct MetricExpr;

struct RangeAggregation {
  RangeOp op = RangeOp::kCountOverTime;
  std::optional<double> param;  // quantile_over_time's φ
  LogRange range;
  std::optional<Grouping> grouping;
  bool operator==(const RangeAggregation&) const = default;
};

struct VectorAggregation {
  VectorOp op = VectorOp::kSum;
  std::optional<int64_t> param;  // topk/bottomk's k (> 0)
  Box<MetricExpr> inner;
  std::optional<Grouping> grouping;
  bool operator==(const VectorAggregation&) const = default;
};

// `on (a)` / `ignoring (b)` with optional `group_left (c)` / `group_right (d)`.
struct VectorMatching {
  enum class Card : unsigned char { kOneToOne, kManyToOne, kOneToMany };
  bool on = false;
  std::vector<std::string> labels;
  Card card = Card::kOneToOne;
  std::vector<std::string> include;  // labels copied from the "one" side
  bool operator==(const VectorMatching&) const = default;
};

struct BinaryExpr {
  BinaryOp op = BinaryOp::kAdd;
  bool return_bool = false;
  std::optional<VectorMatching> matching;
  Box<MetricExpr> lhs;
  Box<MetricExpr> rhs;
  bool operator==(const BinaryExpr&) const = default;
};

struct NumberLiteral {
  double value = 0;
  bool operator==(const NumberLiteral&) const = default;
};

// `vector(1)`: one sample without labels at every step.
struct VectorLiteral {
  double value = 0;
  bool operator==(const VectorLiteral&) const = default;
};

// label_replace(inner, "dst", "replacement", "src", "regex"); the regex is anchored RE2.
struct LabelReplace {
  Box<MetricExpr> inner;
  std::string dst;
  std::string replacement;
  std::string src;
  std::string regex;
  bool operator==(const LabelReplace&) const = default;
};

struct MetricExpr {
  std::variant<RangeAggregation, VectorAggregation, BinaryExpr, NumberLiteral, VectorLiteral,
               LabelReplace>
      node;
  bool operator==(const MetricExpr&) const = default;

  // Canonical LogQL: `sum by (level)(count_over_time({app="api"}[5m]))`; binary operands are
  // parenthesised only where precedence or associativity needs it: `(1 + 2) * 3`, `2 ^ 3 ^ 2`.
  std::string String() const;
};

}  // namespace silt::logql
