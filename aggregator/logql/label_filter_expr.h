// LabelFilterExpr: the AST of a label filter (`| level="error" and duration > 1s`), used as a
// pipeline stage and after `| unwrap`. Leaves compare one label; binary nodes combine two
// filters with `and` (also written `,`, a space, or another `|`) or `or`. Parentheses only group:
// they leave no node. Value types with structural equality; thread-safe to read.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "aggregator/logql/box.h"
#include "shared/labels/matcher.h"

namespace silt::logql {

// Comparison of a label's value converted to a number, duration or byte size.
enum class CompareOp : unsigned char { kEq, kNotEq, kGt, kGe, kLt, kLe };
// "==", "!=", ">", ">=", "<", "<=".
std::string_view CompareOpText(CompareOp op);

// `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"` (regexes anchored, compiled).
struct StringLabelFilter {
  labels::Matcher matcher;
  bool operator==(const StringLabelFilter&) const = default;
};

// `name=ip("10.0.0.0/8")` or `name!=ip("...")`.
struct IpLabelFilter {
  std::string name;
  bool negate = false;
  std::string pattern;  // validated by ValidateIpPattern
  bool operator==(const IpLabelFilter&) const = default;
};

// `name > 5.5`: the label parsed as a float64.
struct NumericLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEq;
  double value = 0;
  bool operator==(const NumericLabelFilter&) const = default;
};

// `name > 250ms`: the label parsed as a duration (Go syntax; "1.5s").
struct DurationLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEq;
  int64_t nanos = 0;
  bool operator==(const DurationLabelFilter&) const = default;
};

// `name > 10KB`: the label parsed as a byte size ("1.5 MB", "3KiB").
struct BytesLabelFilter {
  std::string name;
  CompareOp op = CompareOp::kEq;
  int64_t bytes = 0;
  bool operator==(const BytesLabelFilter&) const = default;
};

struct LabelFilterExpr;

// `left and right` / `left or right`.
struct BinaryLabelFilter {
  bool is_and = true;
  Box<LabelFilterExpr> left;
  Box<LabelFilterExpr> right;
  bool operator==(const BinaryLabelFilter&) const = default;
};

struct LabelFilterExpr {
  std::variant<StringLabelFilter, IpLabelFilter, NumericLabelFilter, DurationLabelFilter,
               BytesLabelFilter, BinaryLabelFilter>
      node;
  bool operator==(const LabelFilterExpr&) const = default;

  // Canonical LogQL text without the leading `| `, e.g. `level="error" and duration>1s`,
  // `(a="x" or b="y") and c>=2`; parentheses only where precedence needs them.
  std::string String() const;
};

}  // namespace silt::logql
