// TemplateInput over a LabelsBuilder (template_input.h).
#include "aggregator/logql/pipeline/template_input.h"

namespace silt::logql::pipeline {

TemplateInput MakeTemplateInput(const EntryContext& entry, const LabelsBuilder& labels) {
  TemplateInput input;
  input.line = entry.line;
  input.timestamp_ns = entry.timestamp_ns;
  const LabelsBuilder* source = &labels;
  input.label = [source](std::string_view name) { return source->Get(name); };
  input.each_label =
      [source](const std::function<void(std::string_view, std::string_view)>& visit) {
        for (size_t i = 0; i < source->size(); ++i) visit(source->name(i), source->value(i));
      };
  return input;
}

}  // namespace silt::logql::pipeline
