// Entries to samples (sample_extractor.h).
#include "aggregator/logql/metric/sample_extractor.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "aggregator/logql/number_text.h"
#include "aggregator/logql/pipeline/label_filter.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"
#include "shared/units/decimal.h"

namespace silt::logql::metric {
namespace {

bool Contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

std::optional<double> ConvertUnwrapped(Unwrap::Conversion conversion, std::string_view text,
                                       std::string* details) {
  switch (conversion) {
    case Unwrap::Conversion::kNone: {
      std::optional<double> v = ParseGoFloat(text);
      if (!v) {
        *details = "strconv.ParseFloat: parsing " + units::QuoteForError(text) + ": invalid syntax";
      }
      return v;
    }
    case Unwrap::Conversion::kDuration:
    case Unwrap::Conversion::kDurationSeconds: {
      Result<int64_t> nanos = time::ParseDuration(text);
      if (nanos.ok()) return static_cast<double>(*nanos) / 1e9;
      *details = "time: invalid duration " + units::QuoteForError(text);
      return std::nullopt;
    }
    case Unwrap::Conversion::kBytes: {
      Result<int64_t> bytes = units::ParseByteSize(text);
      if (bytes.ok()) return static_cast<double>(*bytes);
      *details = std::string(bytes.status().message());
      return std::nullopt;
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<SampleExtractor>> SampleExtractor::Create(
    const RangeAggregation& aggregation) {
  std::unique_ptr<SampleExtractor> extractor(new SampleExtractor());
  extractor->bytes_ =
      aggregation.op == RangeOp::kBytesOverTime || aggregation.op == RangeOp::kBytesRate;
  extractor->unwrap_ = aggregation.range.unwrap;
  extractor->grouping_ = aggregation.grouping;
  if (extractor->unwrap_.has_value()) {
    for (const LabelFilterExpr& filter : extractor->unwrap_->post_filters) {
      SILT_ASSIGN_OR_RETURN(std::unique_ptr<pipeline::Stage> stage,
                            pipeline::CompileLabelFilter(filter));
      extractor->post_filters_.push_back(std::move(stage));
    }
  }
  return extractor;
}

labels::LabelSet SampleExtractor::Group(const labels::LabelSet& in) const {
  if (in.Has(pipeline::kErrorLabel)) return in;
  const bool by = grouping_.has_value() && !grouping_->without;
  std::vector<labels::LabelView> kept;
  for (const labels::LabelView label : in) {
    bool keep;
    if (by) {
      keep = Contains(grouping_->labels, label.name);
    } else {
      keep = !(unwrap_.has_value() && label.name == unwrap_->label) &&
             !(grouping_.has_value() && Contains(grouping_->labels, label.name));
    }
    if (keep) kept.push_back(label);
  }
  if (kept.size() == in.size()) return in;
  return labels::LabelSet::FromSorted(std::span<const labels::LabelView>(kept)).value();
}

const labels::LabelSet& SampleExtractor::SeriesOf(const labels::LabelSet& labels) {
  auto it = series_cache_.find(labels);
  if (it == series_cache_.end()) it = series_cache_.emplace(labels, Group(labels)).first;
  return it->second;
}

bool SampleExtractor::Extract(const PipelineEntry& entry, double* value,
                              const labels::LabelSet** series) {
  if (unwrap_.has_value()) return ExtractUnwrapped(entry, value, series);
  *value = bytes_ ? static_cast<double>(entry.line.size()) : 1.0;
  *series = &SeriesOf(entry.labels);
  return true;
}

bool SampleExtractor::ExtractUnwrapped(const PipelineEntry& entry, double* value,
                                       const labels::LabelSet** series) {
  std::optional<std::string_view> text = entry.labels.Get(unwrap_->label);
  if (!text.has_value() || text->empty()) return false;
  std::optional<double> number = ConvertUnwrapped(unwrap_->conversion, *text, &details_);
  *value = number.value_or(0);
  if (number.has_value() && post_filters_.empty()) {
    *series = &SeriesOf(entry.labels);
    return true;
  }
  views_.assign(entry.labels.begin(), entry.labels.end());
  builder_.Reset(views_, {});
  if (!number.has_value()) builder_.SetError(kSampleExtractionErr, details_);
  pipeline::EntryContext context{0, entry.line, &builder_, &scratch_};
  for (const auto& filter : post_filters_) {
    if (!filter->Process(&context)) return false;
  }
  filtered_series_ = Group(builder_.Build());
  *series = &filtered_series_;
  return true;
}

}  // namespace silt::logql::metric
