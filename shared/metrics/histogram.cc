#include "shared/metrics/histogram.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "shared/metrics/sample_line.h"
#include "shared/metrics/text_format.h"

namespace silt::metrics {

Histogram::Histogram(std::shared_ptr<const std::vector<double>> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds_->size() + 1)) {}

void Histogram::Observe(double value) {
  size_t bucket = bounds_->size();
  if (!std::isnan(value)) {
    bucket = static_cast<size_t>(std::lower_bound(bounds_->begin(), bounds_->end(), value) -
                                 bounds_->begin());
  }
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.Add(value);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.cumulative.resize(bounds_->size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative[i] = running;
  }
  snapshot.count = running;
  snapshot.sum = sum_.Load();
  return snapshot;
}

void Histogram::AppendSamples(std::string_view name, std::string_view labels,
                              std::string* out) const {
  Snapshot snapshot = Read();
  std::string bucket_labels(labels);
  if (!bucket_labels.empty()) bucket_labels.push_back(',');
  bucket_labels.append("le=\"");
  size_t prefix = bucket_labels.size();
  for (size_t i = 0; i < snapshot.cumulative.size(); ++i) {
    bucket_labels.resize(prefix);
    double bound = i < bounds_->size() ? (*bounds_)[i] : INFINITY;
    AppendBucketBound(bound, &bucket_labels);
    bucket_labels.push_back('"');
    AppendSampleStart(name, "_bucket", bucket_labels, out);
    AppendUint(snapshot.cumulative[i], out);
    out->push_back('\n');
  }
  AppendSampleStart(name, "_sum", labels, out);
  AppendValue(snapshot.sum, out);
  out->push_back('\n');
  AppendSampleStart(name, "_count", labels, out);
  AppendUint(snapshot.count, out);
  out->push_back('\n');
}

std::vector<double> ExponentialBuckets(double start, double factor, int count) {
  assert(start > 0 && factor > 1 && count >= 1);
  std::vector<double> bounds;
  bounds.reserve(static_cast<size_t>(std::max(count, 0)));
  double bound = start;
  for (int i = 0; i < count; ++i) {
    bounds.push_back(bound);
    bound *= factor;
  }
  return bounds;
}

std::vector<double> LinearBuckets(double start, double width, int count) {
  assert(width > 0 && count >= 1);
  std::vector<double> bounds;
  bounds.reserve(static_cast<size_t>(std::max(count, 0)));
  for (int i = 0; i < count; ++i) bounds.push_back(start + width * i);
  return bounds;
}

}  // namespace silt::metrics
