#include "shared/metrics/family.h"

#include "shared/metrics/text_format.h"

namespace silt::metrics {

std::string_view MetricTypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

FamilyBase::FamilyBase(std::string name, std::string help, MetricType type,
                       std::vector<std::string> label_names, std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

void FamilyBase::Expose(std::string* out) const {
  std::string samples;
  if (!AppendSamples(&samples)) return;
  out->append("# HELP ").append(name_).push_back(' ');
  AppendEscapedHelp(help_, out);
  out->append("\n# TYPE ").append(name_).push_back(' ');
  out->append(MetricTypeName(type_)).push_back('\n');
  out->append(samples);
}

std::string FamilyBase::RenderLabels(std::span<const std::string> values) const {
  std::string rendered;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) rendered.push_back(',');
    rendered.append(label_names_[i]).append("=\"");
    AppendEscapedLabelValue(values[i], &rendered);
    rendered.push_back('"');
  }
  return rendered;
}

}  // namespace silt::metrics
