// SampleExtractor: turns the entries a range aggregation's pipeline keeps into samples, as
// Loki's SampleExtractor does. Without `| unwrap` a sample is 1 (or the line's byte count for
// bytes_over_time / bytes_rate) with the entry's labels. With `| unwrap x`:
//   - an entry without `x` (or with an empty `x`) gives no sample (Loki issue 6713);
//   - `x` is converted: as a float (Go's strconv.ParseFloat), or with duration() /
//     duration_seconds() as a Go duration in seconds, or with bytes() as a byte size; a value
//     that does not convert gives a sample of 0 with `__error__="SampleExtractionErr"` and
//     `__error_details__` (e.g. `strconv.ParseFloat: parsing "abc": invalid syntax`);
//   - the label filters after unwrap run on the labels (a `| __error__=""` drops such samples);
//   - the series labels drop `x` (and the `without` labels), or keep only the `by` labels of the
//     range aggregation's grouping; a sample with `__error__` keeps all its labels, so that the
//     evaluator can report the error with the series (Loki's pipeline error).
// Not thread-safe: one extractor per range aggregation of one query.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "aggregator/logql/metric_expr.h"
#include "aggregator/logql/pipeline/labels_builder.h"
#include "aggregator/logql/pipeline/pipeline.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::logql::metric {

// Loki's __error__ value for an unwrapped value that does not convert.
inline constexpr std::string_view kSampleExtractionErr = "SampleExtractionErr";

class SampleExtractor {
 public:
  // InvalidArgument naming the filter when a label filter after unwrap does not compile.
  static Result<std::unique_ptr<SampleExtractor>> Create(const RangeAggregation& aggregation);

  // The sample of one kept entry: true with *value and *series set, or false when the entry
  // gives none. *series points into the extractor (no label set is copied per sample) and
  // stays valid until the next Extract call.
  bool Extract(const PipelineEntry& entry, double* value, const labels::LabelSet** series);

 private:
  SampleExtractor() = default;
  // The series labels of `labels` (grouping, unwrap label dropped); cached.
  const labels::LabelSet& SeriesOf(const labels::LabelSet& labels);
  labels::LabelSet Group(const labels::LabelSet& labels) const;
  bool ExtractUnwrapped(const PipelineEntry& entry, double* value, const labels::LabelSet** series);

  bool bytes_ = false;  // bytes_over_time / bytes_rate
  std::optional<Unwrap> unwrap_;
  std::optional<Grouping> grouping_;
  std::vector<std::unique_ptr<pipeline::Stage>> post_filters_;
  std::unordered_map<labels::LabelSet, labels::LabelSet> series_cache_;
  pipeline::LabelsBuilder builder_;
  pipeline::StageScratch scratch_;
  std::vector<labels::LabelView> views_;
  labels::LabelSet filtered_series_;  // the series of the last entry a post filter saw
  std::string details_;
};

// Converts an unwrapped label value: the number, or nullopt with Loki's error text in *details.
std::optional<double> ConvertUnwrapped(Unwrap::Conversion conversion, std::string_view text,
                                       std::string* details);

}  // namespace silt::logql::metric
