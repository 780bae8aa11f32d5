// The start of one exposition sample line, shared by the metric types of this folder:
// `<name><suffix>{<labels>} ` or `<name><suffix> ` when there are no labels. The caller appends
// the value and the newline. Internal to shared/metrics.
#pragma once

#include <string>
#include <string_view>

namespace silt::metrics {

inline void AppendSampleStart(std::string_view name, std::string_view suffix,
                              std::string_view labels, std::string* out) {
  out->append(name);
  out->append(suffix);
  if (!labels.empty()) {
    out->push_back('{');
    out->append(labels);
    out->push_back('}');
  }
  out->push_back(' ');
}

}  // namespace silt::metrics
