#include "shared/metrics/counter.h"

#include <cassert>

#include "shared/metrics/sample_line.h"
#include "shared/metrics/text_format.h"

namespace silt::metrics {

void Counter::Add(double amount) {
  assert(amount >= 0 && "a counter cannot decrease");
  if (!(amount >= 0)) return;
  fraction_.Add(amount);
}

double Counter::Value() const {
  return static_cast<double>(integer_.load(std::memory_order_relaxed)) + fraction_.Load();
}

void Counter::AppendSamples(std::string_view name, std::string_view labels,
                            std::string* out) const {
  AppendSampleStart(name, "", labels, out);
  double fraction = fraction_.Load();
  if (fraction == 0) {
    AppendUint(integer_.load(std::memory_order_relaxed), out);
  } else {
    AppendValue(Value(), out);
  }
  out->push_back('\n');
}

}  // namespace silt::metrics
