// A metric family: one name, help text, type and list of label names, with one child metric
// (Counter, Gauge, Histogram) per distinct list of label values. Families are created by a
// Registry, which owns them; callers look a child up once with WithLabels and keep the reference.
// Thread-safety: WithLabels and exposition lock the family's mutex (lookup or creation of a
// child, O(log children)); the returned child is updated without locks. Children are never
// removed, so references stay valid for the Registry's lifetime.
#pragma once

#include <algorithm>
#include <cassert>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/metrics/counter.h"
#include "shared/metrics/gauge.h"
#include "shared/metrics/histogram.h"

namespace silt::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

// "counter", "gauge" or "histogram", as written on # TYPE lines.
std::string_view MetricTypeName(MetricType type);

class FamilyBase {
 public:
  FamilyBase(std::string name, std::string help, MetricType type,
             std::vector<std::string> label_names, std::vector<double> bounds);
  virtual ~FamilyBase() = default;
  FamilyBase(const FamilyBase&) = delete;
  FamilyBase& operator=(const FamilyBase&) = delete;

  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  MetricType type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  // Histogram bucket bounds; empty for other types.
  const std::vector<double>& bounds() const { return bounds_; }

  // Appends "# HELP", "# TYPE" and every sample. Appends nothing when the family has no child
  // yet (a labelled family before its first WithLabels), as the Go client does.
  void Expose(std::string* out) const;

 protected:
  // Appends the samples of every child in a deterministic order; returns false if there are none.
  virtual bool AppendSamples(std::string* out) const = 0;
  // Renders `values` as `a="x",b="y"` against label_names(); sizes must match.
  std::string RenderLabels(std::span<const std::string> values) const;

 private:
  std::string name_;
  std::string help_;
  MetricType type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
};

// Orders lists of label values lexicographically; transparent so lookups by a span of
// string_views need no allocation.
struct LabelValuesLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

template <typename Child>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, MetricType type, std::vector<std::string> label_names,
         std::vector<double> bounds, std::function<std::unique_ptr<Child>()> make_child)
      : FamilyBase(std::move(name), std::move(help), type, std::move(label_names),
                   std::move(bounds)),
        make_child_(std::move(make_child)) {}

  // The child for `values`, one per label name in registration order, created on first use.
  // Precondition: values.size() == label_names().size() (asserted; in release builds missing
  // values are taken as "" and extra ones dropped). The reference is valid as long as the
  // Registry; callers on hot paths look it up once and keep it.
  Child& WithLabels(std::initializer_list<std::string_view> values) {
    return Find(std::span<const std::string_view>(values.begin(), values.size()));
  }
  Child& WithLabels(std::span<const std::string> values) { return Find(values); }

 private:
  struct Entry {
    std::string rendered_labels;
    std::unique_ptr<Child> child;
  };

  template <typename S>
  Child& Find(std::span<const S> values) {
    assert(values.size() == label_names().size() && "wrong number of label values");
    if (values.size() != label_names().size()) {
      std::vector<std::string> fixed(
          values.begin(), values.begin() + std::min(values.size(), label_names().size()));
      fixed.resize(label_names().size());
      return Find(std::span<const std::string>(fixed));
    }
    std::lock_guard<std::mutex> lock(mu_);
    auto it = children_.find(values);
    if (it == children_.end()) {
      std::vector<std::string> key(values.begin(), values.end());
      std::string rendered = RenderLabels(key);
      it = children_.emplace(std::move(key), Entry{std::move(rendered), make_child_()}).first;
    }
    return *it->second.child;
  }

  bool AppendSamples(std::string* out) const override {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [values, entry] : children_) {
      entry.child->AppendSamples(name(), entry.rendered_labels, out);
    }
    return !children_.empty();
  }

  std::function<std::unique_ptr<Child>()> make_child_;
  mutable std::mutex mu_;
  std::map<std::vector<std::string>, Entry, LabelValuesLess> children_;
};

using CounterFamily = Family<Counter>;
using GaugeFamily = Family<Gauge>;
using HistogramFamily = Family<Histogram>;

}  // namespace silt::metrics
