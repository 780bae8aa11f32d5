// Label filter stages (label_filter.h).
#include "aggregator/logql/pipeline/label_filter.h"

#include <charconv>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "aggregator/logql/number_text.h"
#include "aggregator/logql/pipeline/ip_matcher.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"
#include "shared/units/decimal.h"

namespace silt::logql::pipeline {
namespace {

class Node {
 public:
  virtual ~Node() = default;
  virtual bool Eval(EntryContext* entry) const = 0;
};

template <typename T>
bool Compare(CompareOp op, T a, T b) {
  switch (op) {
    case CompareOp::kEq: return a == b;
    case CompareOp::kNotEq: return a != b;
    case CompareOp::kGt: return a > b;
    case CompareOp::kGe: return a >= b;
    case CompareOp::kLt: return a < b;
    case CompareOp::kLe: return a <= b;
  }
  return false;
}

// Leaves that convert a label: `Convert` returns the number or sets `details`.
template <typename T, typename Convert>
class ConvertingFilter final : public Node {
 public:
  ConvertingFilter(std::string name, CompareOp op, T value, Convert convert)
      : name_(std::move(name)), op_(op), value_(value), convert_(std::move(convert)) {}

  bool Eval(EntryContext* entry) const override {
    if (entry->labels->HasError()) return true;
    std::optional<std::string_view> text = entry->labels->Get(name_);
    if (!text) return false;
    std::string* details = &entry->scratch->text;
    std::optional<T> number = convert_(*text, details);
    if (!number) {
      entry->labels->SetError(kLabelFilterErr, *details);
      return true;
    }
    return Compare(op_, *number, value_);
  }

 private:
  std::string name_;
  CompareOp op_;
  T value_;
  Convert convert_;
};

template <typename T, typename Convert>
std::unique_ptr<Node> MakeConverting(std::string name, CompareOp op, T value, Convert convert) {
  return std::make_unique<ConvertingFilter<T, Convert>>(std::move(name), op, value,
                                                        std::move(convert));
}

std::optional<double> ToFloat(std::string_view text, std::string* details) {
  std::optional<double> v = ParseGoFloat(text);
  if (!v) *details = "strconv.ParseFloat: parsing " + units::QuoteForError(text) + ": invalid syntax";
  return v;
}

std::optional<int64_t> ToDuration(std::string_view text, std::string* details) {
  Result<int64_t> v = time::ParseDuration(text);
  if (v.ok()) return *v;
  *details = "time: invalid duration " + units::QuoteForError(text);
  return std::nullopt;
}

std::optional<int64_t> ToBytes(std::string_view text, std::string* details) {
  Result<int64_t> v = units::ParseByteSize(text);
  if (v.ok()) return *v;
  *details = std::string(v.status().message());
  return std::nullopt;
}

class StringFilter final : public Node {
 public:
  explicit StringFilter(labels::Matcher matcher) : matcher_(std::move(matcher)) {}
  bool Eval(EntryContext* entry) const override {
    return matcher_.Matches(entry->labels->Get(matcher_.name()).value_or(""));
  }

 private:
  labels::Matcher matcher_;
};

class IpFilter final : public Node {
 public:
  IpFilter(std::string name, bool negate, IpMatcher ip)
      : name_(std::move(name)), negate_(negate), ip_(std::move(ip)) {}
  bool Eval(EntryContext* entry) const override {
    if (entry->labels->HasError()) return true;
    std::optional<std::string_view> text = entry->labels->Get(name_);
    if (!text) return false;
    return ip_.MatchesAddress(*text) != negate_;
  }

 private:
  std::string name_;
  bool negate_;
  IpMatcher ip_;
};

class BinaryFilter final : public Node {
 public:
  BinaryFilter(bool is_and, std::unique_ptr<Node> left, std::unique_ptr<Node> right)
      : is_and_(is_and), left_(std::move(left)), right_(std::move(right)) {}
  bool Eval(EntryContext* entry) const override {
    bool left = left_->Eval(entry);
    if (!is_and_ && left) return true;
    bool right = right_->Eval(entry);
    return is_and_ ? left && right : left || right;
  }

 private:
  bool is_and_;
  std::unique_ptr<Node> left_;
  std::unique_ptr<Node> right_;
};

Result<std::unique_ptr<Node>> CompileNode(const LabelFilterExpr& expr);

struct NodeCompiler {
  Result<std::unique_ptr<Node>> operator()(const StringLabelFilter& f) const {
    return std::unique_ptr<Node>(std::make_unique<StringFilter>(f.matcher));
  }
  Result<std::unique_ptr<Node>> operator()(const IpLabelFilter& f) const {
    Result<IpMatcher> ip = IpMatcher::Create(f.pattern);
    if (!ip.ok()) return ip.status().WithContext("label filter on " + f.name);
    return std::unique_ptr<Node>(std::make_unique<IpFilter>(f.name, f.negate, std::move(ip).value()));
  }
  Result<std::unique_ptr<Node>> operator()(const NumericLabelFilter& f) const {
    return MakeConverting(f.name, f.op, f.value, &ToFloat);
  }
  Result<std::unique_ptr<Node>> operator()(const DurationLabelFilter& f) const {
    return MakeConverting(f.name, f.op, f.nanos, &ToDuration);
  }
  Result<std::unique_ptr<Node>> operator()(const BytesLabelFilter& f) const {
    return MakeConverting(f.name, f.op, f.bytes, &ToBytes);
  }
  Result<std::unique_ptr<Node>> operator()(const BinaryLabelFilter& f) const {
    Result<std::unique_ptr<Node>> left = CompileNode(*f.left);
    if (!left.ok()) return left.status();
    Result<std::unique_ptr<Node>> right = CompileNode(*f.right);
    if (!right.ok()) return right.status();
    return std::unique_ptr<Node>(std::make_unique<BinaryFilter>(f.is_and, std::move(left).value(),
                                                                std::move(right).value()));
  }
};

Result<std::unique_ptr<Node>> CompileNode(const LabelFilterExpr& expr) {
  return std::visit(NodeCompiler{}, expr.node);
}

class LabelFilterStage final : public Stage {
 public:
  explicit LabelFilterStage(std::unique_ptr<Node> root) : root_(std::move(root)) {}
  bool Process(EntryContext* entry) const override { return root_->Eval(entry); }

 private:
  std::unique_ptr<Node> root_;
};

}  // namespace

Result<std::unique_ptr<Stage>> CompileLabelFilter(const LabelFilterExpr& expr) {
  Result<std::unique_ptr<Node>> root = CompileNode(expr);
  if (!root.ok()) return root.status();
  return std::unique_ptr<Stage>(std::make_unique<LabelFilterStage>(std::move(root).value()));
}

}  // namespace silt::logql::pipeline
