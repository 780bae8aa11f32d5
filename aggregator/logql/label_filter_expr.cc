// Label filter AST printing (label_filter_expr.h).
#include "aggregator/logql/label_filter_expr.h"

#include "aggregator/logql/number_text.h"
#include "shared/labels/string_literal.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::logql {
namespace {

void AppendComparison(const std::string& name, CompareOp op, std::string_view value,
                      std::string* out) {
  labels::AppendLabelName(name, out);
  out->append(CompareOpText(op));
  out->append(value);
}

bool IsBinary(const LabelFilterExpr& expr, bool is_and) {
  const auto* binary = std::get_if<BinaryLabelFilter>(&expr.node);
  return binary != nullptr && binary->is_and == is_and;
}

void AppendExpr(const LabelFilterExpr& expr, std::string* out);

void AppendOperand(const LabelFilterExpr& expr, bool parens, std::string* out) {
  if (parens) out->push_back('(');
  AppendExpr(expr, out);
  if (parens) out->push_back(')');
}

// `and` binds tighter than `or`; both group to the left, so a right operand of the same
// operator, and an `or` operand of an `and`, need parentheses.
void AppendBinary(const BinaryLabelFilter& binary, std::string* out) {
  bool left_parens = binary.is_and && IsBinary(*binary.left, false);
  bool right_parens = std::holds_alternative<BinaryLabelFilter>(binary.right->node) &&
                      (binary.is_and || IsBinary(*binary.right, false));
  AppendOperand(*binary.left, left_parens, out);
  out->append(binary.is_and ? " and " : " or ");
  AppendOperand(*binary.right, right_parens, out);
}

void AppendExpr(const LabelFilterExpr& expr, std::string* out) {
  if (const auto* f = std::get_if<StringLabelFilter>(&expr.node)) {
    out->append(f->matcher.ToString());
  } else if (const auto* ip = std::get_if<IpLabelFilter>(&expr.node)) {
    labels::AppendLabelName(ip->name, out);
    out->append(ip->negate ? "!=ip(" : "=ip(");
    labels::AppendQuoted(ip->pattern, out);
    out->push_back(')');
  } else if (const auto* n = std::get_if<NumericLabelFilter>(&expr.node)) {
    AppendComparison(n->name, n->op, FormatNumber(n->value), out);
  } else if (const auto* d = std::get_if<DurationLabelFilter>(&expr.node)) {
    AppendComparison(d->name, d->op, time::FormatDuration(d->nanos), out);
  } else if (const auto* b = std::get_if<BytesLabelFilter>(&expr.node)) {
    AppendComparison(b->name, b->op, units::FormatByteSize(b->bytes), out);
  } else {
    AppendBinary(std::get<BinaryLabelFilter>(expr.node), out);
  }
}

}  // namespace

std::string_view CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "==";
    case CompareOp::kNotEq: return "!=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
  }
  return "?";
}

std::string LabelFilterExpr::String() const {
  std::string out;
  AppendExpr(*this, &out);
  return out;
}

}  // namespace silt::logql
