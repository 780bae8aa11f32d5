#include "shared/metrics/gauge.h"

#include "shared/metrics/sample_line.h"
#include "shared/metrics/text_format.h"

namespace silt::metrics {

void Gauge::AppendSamples(std::string_view name, std::string_view labels, std::string* out) const {
  AppendSampleStart(name, "", labels, out);
  AppendValue(Value(), out);
  out->push_back('\n');
}

}  // namespace silt::metrics
