// Gauge: a value that goes up and down (queue depth, open files, bytes in the head), one per
// label set. Stored as the bits of a double; Add/Inc/Dec are CAS loops.
// Thread-safety: every method may be called concurrently; updates never lock or allocate.
#pragma once

#include <string>
#include <string_view>

#include "shared/metrics/atomic_double.h"

namespace silt::metrics {

class Gauge {
 public:
  Gauge() = default;
  Gauge(const Gauge&) = delete;
  Gauge& operator=(const Gauge&) = delete;

  void Set(double value) { value_.Store(value); }
  void Add(double delta) { value_.Add(delta); }
  void Inc(double delta = 1) { value_.Add(delta); }
  void Dec(double delta = 1) { value_.Add(-delta); }
  double Value() const { return value_.Load(); }

  // Appends the sample line `<name><{labels}> <value>\n`; `labels` is the rendered label list
  // without braces (empty for none).
  void AppendSamples(std::string_view name, std::string_view labels, std::string* out) const;

 private:
  AtomicDouble value_;
};

}  // namespace silt::metrics
