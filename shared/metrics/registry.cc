#include "shared/metrics/registry.h"

#include <cassert>
#include <cmath>
#include <set>
#include <utility>

#include "shared/metrics/text_format.h"

namespace silt::metrics {
namespace {

// A label-less counter or gauge read by a function at scrape time.
class CallbackFamily final : public FamilyBase {
 public:
  CallbackFamily(std::string name, std::string help, MetricType type, std::function<double()> read)
      : FamilyBase(std::move(name), std::move(help), type, {}, {}), read_(std::move(read)) {}

 private:
  bool AppendSamples(std::string* out) const override {
    out->append(name()).push_back(' ');
    AppendValue(read_(), out);
    out->push_back('\n');
    return true;
  }

  std::function<double()> read_;
};

std::string DescribeShape(MetricType type, const std::vector<std::string>& label_names,
                          const std::vector<double>& bounds, bool callback) {
  std::string text = callback ? "a callback " : "a ";
  text.append(MetricTypeName(type)).append(" with labels (");
  for (size_t i = 0; i < label_names.size(); ++i) {
    if (i > 0) text.append(", ");
    text.append(label_names[i]);
  }
  text.push_back(')');
  if (type == MetricType::kHistogram) {
    text.append(" and buckets [");
    for (size_t i = 0; i < bounds.size(); ++i) {
      if (i > 0) text.append(", ");
      AppendBucketBound(bounds[i], &text);
    }
    text.push_back(']');
  }
  return text;
}

Status CheckLabelNames(std::string_view name, MetricType type,
                       const std::vector<std::string>& label_names) {
  std::set<std::string_view> seen;
  for (const std::string& label : label_names) {
    std::string prefix = "metric \"" + std::string(name) + "\": label name \"" + label + "\"";
    if (!IsValidLabelName(label)) {
      return Status::InvalidArgument(
          prefix + " is invalid: use letters, digits and '_', not starting with a digit");
    }
    if (IsReservedLabelName(label)) {
      return Status::InvalidArgument(prefix +
                                     " is reserved: names starting with \"__\" are internal");
    }
    if (type == MetricType::kHistogram && label == "le") {
      return Status::InvalidArgument(prefix + " is reserved for histogram bucket bounds");
    }
    if (!seen.insert(label).second) return Status::InvalidArgument(prefix + " is listed twice");
  }
  return Status::Ok();
}

// Validates histogram bounds, dropping a trailing +Inf.
Status NormalizeBounds(std::string_view name, std::vector<double>* bounds) {
  if (!bounds->empty() && bounds->back() == INFINITY) bounds->pop_back();
  for (size_t i = 0; i < bounds->size(); ++i) {
    double bound = (*bounds)[i];
    std::string where =
        "histogram \"" + std::string(name) + "\": bucket bound #" + std::to_string(i + 1) + " (";
    AppendValue(bound, &where);
    where.push_back(')');
    if (!std::isfinite(bound)) {
      return Status::InvalidArgument(where +
                                     " is not finite; only the implicit last bucket is +Inf");
    }
    if (i > 0 && !(bound > (*bounds)[i - 1])) {
      return Status::InvalidArgument(where +
                                     " is not above the previous one; bounds must be "
                                     "strictly increasing");
    }
  }
  return Status::Ok();
}

// The sample names a histogram family adds besides its own name.
constexpr std::string_view kHistogramSuffixes[] = {"_bucket", "_sum", "_count"};

}  // namespace

Registry::Registry() = default;
Registry::~Registry() = default;

Result<FamilyBase*> Registry::FindOrCheck(std::string_view name, const Shape& shape) const {
  if (!IsValidMetricName(name)) {
    return Status::InvalidArgument("metric name \"" + std::string(name) +
                                   "\" is invalid: use letters, digits, '_' and ':', not "
                                   "starting with a digit");
  }
  SILT_RETURN_IF_ERROR(CheckLabelNames(name, shape.type, shape.label_names));
  auto it = families_.find(name);
  if (it != families_.end()) {
    const FamilyBase& old = *it->second.family;
    if (!shape.callback && !it->second.callback && old.type() == shape.type &&
        old.label_names() == shape.label_names && old.bounds() == shape.bounds) {
      return it->second.family.get();
    }
    return Status::InvalidArgument(
        "metric \"" + std::string(name) + "\" is already registered as " +
        DescribeShape(old.type(), old.label_names(), old.bounds(), it->second.callback) +
        "; cannot register it again as " +
        DescribeShape(shape.type, shape.label_names, shape.bounds, shape.callback) +
        "; pick another name");
  }
  for (const auto& [other, entry] : families_) {
    for (std::string_view suffix : kHistogramSuffixes) {
      bool clash =
          (entry.family->type() == MetricType::kHistogram && name == other + std::string(suffix)) ||
          (shape.type == MetricType::kHistogram &&
           other == std::string(name) + std::string(suffix));
      if (clash) {
        return Status::InvalidArgument("metric \"" + std::string(name) + "\" collides with \"" +
                                       other +
                                       "\": a histogram exposes <name>_bucket, "
                                       "<name>_sum and <name>_count; pick another name");
      }
    }
  }
  return nullptr;
}

template <typename Child>
Result<Family<Child>*> Registry::RegisterFamily(std::string_view name, std::string_view help,
                                                Shape shape) {
  std::lock_guard<std::mutex> lock(mu_);
  SILT_ASSIGN_OR_RETURN(FamilyBase * existing, FindOrCheck(name, shape));
  if (existing != nullptr) return static_cast<Family<Child>*>(existing);
  std::function<std::unique_ptr<Child>()> make_child;
  if constexpr (std::is_same_v<Child, Histogram>) {
    auto bounds = std::make_shared<const std::vector<double>>(shape.bounds);
    make_child = [bounds] { return std::make_unique<Histogram>(bounds); };
  } else {
    make_child = [] { return std::make_unique<Child>(); };
  }
  auto family = std::make_unique<Family<Child>>(std::string(name), std::string(help), shape.type,
                                                std::move(shape.label_names),
                                                std::move(shape.bounds), std::move(make_child));
  Family<Child>* raw = family.get();
  families_.emplace(std::string(name), Entry{std::move(family), false});
  return raw;
}

Result<CounterFamily*> Registry::RegisterCounterFamily(std::string_view name, std::string_view help,
                                                       std::vector<std::string> label_names) {
  return RegisterFamily<Counter>(name, help, {MetricType::kCounter, std::move(label_names), {}});
}

Result<GaugeFamily*> Registry::RegisterGaugeFamily(std::string_view name, std::string_view help,
                                                   std::vector<std::string> label_names) {
  return RegisterFamily<Gauge>(name, help, {MetricType::kGauge, std::move(label_names), {}});
}

Result<HistogramFamily*> Registry::RegisterHistogramFamily(std::string_view name,
                                                           std::string_view help,
                                                           std::vector<std::string> label_names,
                                                           std::vector<double> bounds) {
  SILT_RETURN_IF_ERROR(NormalizeBounds(name, &bounds));
  return RegisterFamily<Histogram>(
      name, help, {MetricType::kHistogram, std::move(label_names), std::move(bounds)});
}

Result<Counter*> Registry::RegisterCounter(std::string_view name, std::string_view help) {
  SILT_ASSIGN_OR_RETURN(CounterFamily * family, RegisterCounterFamily(name, help, {}));
  return &family->WithLabels({});
}

Result<Gauge*> Registry::RegisterGauge(std::string_view name, std::string_view help) {
  SILT_ASSIGN_OR_RETURN(GaugeFamily * family, RegisterGaugeFamily(name, help, {}));
  return &family->WithLabels({});
}

Result<Histogram*> Registry::RegisterHistogram(std::string_view name, std::string_view help,
                                               std::vector<double> bounds) {
  SILT_ASSIGN_OR_RETURN(HistogramFamily * family,
                        RegisterHistogramFamily(name, help, {}, std::move(bounds)));
  return &family->WithLabels({});
}

Status Registry::RegisterCallback(std::string_view name, std::string_view help, MetricType type,
                                  std::function<double()> read) {
  if (type == MetricType::kHistogram || read == nullptr) {
    return Status::InvalidArgument("metric \"" + std::string(name) +
                                   "\": a callback needs a function and type counter or gauge");
  }
  std::lock_guard<std::mutex> lock(mu_);
  SILT_ASSIGN_OR_RETURN(FamilyBase * existing, FindOrCheck(name, {type, {}, {}, true}));
  assert(existing == nullptr);  // FindOrCheck never matches a callback shape
  (void)existing;
  families_.emplace(std::string(name),
                    Entry{std::make_unique<CallbackFamily>(std::string(name), std::string(help),
                                                           type, std::move(read)),
                          true});
  return Status::Ok();
}

std::string Registry::Expose() const {
  std::string out;
  ExposeTo(&out);
  return out;
}

void Registry::ExposeTo(std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [name, entry] : families_) entry.family->Expose(out);
}

}  // namespace silt::metrics
