// Registry: the set of metric families a process exposes at /metrics, and their rendering in the
// Prometheus text format 0.0.4. There is no global registry: main creates one and passes it (or
// the families registered in it) down to the components that count things.
//
// Registration happens at startup in wiring code and returns a Status for bad names or shapes.
// Registering a name again with the same type, label names and buckets returns the existing
// family (the help text of the first registration is kept), so two components may share a
// metric; any other reuse of a name is an error.
//
// Thread-safety: every method may be called concurrently. Registered families and children live
// as long as the Registry; pointers returned by Register* stay valid until it is destroyed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "shared/metrics/family.h"
#include "shared/status/result.h"
#include "shared/status/status.h"

namespace silt::metrics {

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registers a family of counters with the given label names (any number, including none).
  // Errors (InvalidArgument): `name` not [a-zA-Z_:][a-zA-Z0-9_:]*; a label name not
  // [a-zA-Z_][a-zA-Z0-9_]*, starting with "__", or repeated; `name` already used by a family of
  // another shape, or colliding with a histogram's _bucket/_sum/_count series.
  Result<CounterFamily*> RegisterCounterFamily(std::string_view name, std::string_view help,
                                               std::vector<std::string> label_names);
  Result<GaugeFamily*> RegisterGaugeFamily(std::string_view name, std::string_view help,
                                           std::vector<std::string> label_names);
  // As above; `bounds` are the bucket upper bounds, finite and strictly increasing (a trailing
  // +Inf is accepted and dropped; the +Inf bucket is always there). The label name "le" is
  // reserved.
  Result<HistogramFamily*> RegisterHistogramFamily(std::string_view name, std::string_view help,
                                                   std::vector<std::string> label_names,
                                                   std::vector<double> bounds);

  // Label-less shorthands: register a family without labels and return its only child.
  Result<Counter*> RegisterCounter(std::string_view name, std::string_view help);
  Result<Gauge*> RegisterGauge(std::string_view name, std::string_view help);
  Result<Histogram*> RegisterHistogram(std::string_view name, std::string_view help,
                                       std::vector<double> bounds);

  // Registers a label-less counter or gauge whose value is `read()` at scrape time (open file
  // descriptors, bytes on disk). `read` runs on the scraping thread with the registry locked: it
  // must be thread-safe, quick, and must not call into this Registry. Errors as above; a name can
  // hold only one callback (registering it again is an error); a histogram type or an empty
  // function is an error.
  Status RegisterCallback(std::string_view name, std::string_view help, MetricType type,
                          std::function<double()> read);

  // The text exposition of every family with at least one child, sorted by name, children sorted
  // by label values. Serve it with Content-Type kTextContentType (text_format.h).
  std::string Expose() const;
  // As Expose(), appending to `out`.
  void ExposeTo(std::string* out) const;

 private:
  struct Shape {
    MetricType type;
    std::vector<std::string> label_names;
    std::vector<double> bounds;
    bool callback = false;
  };
  struct Entry {
    std::unique_ptr<FamilyBase> family;
    bool callback = false;
  };
  // Validates `name` and `shape`; returns the existing family of this shape, or nullptr when
  // `name` is free. Requires mu_.
  Result<FamilyBase*> FindOrCheck(std::string_view name, const Shape& shape) const;
  template <typename Child>
  Result<Family<Child>*> RegisterFamily(std::string_view name, std::string_view help, Shape shape);

  mutable std::mutex mu_;
  std::map<std::string, Entry, std::less<>> families_;
};

}  // namespace silt::metrics
