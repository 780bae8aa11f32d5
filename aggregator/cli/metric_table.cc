#include "aggregator/cli/metric_table.h"

#include <algorithm>
#include <set>
#include <vector>

#include "shared/json/json_string.h"
#include "shared/time/timestamp.h"

namespace silt::cli {
namespace {

using Row = std::vector<std::string>;

void AppendTable(const std::vector<Row>& rows, std::string* out) {
  std::vector<size_t> widths;
  for (const Row& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    out->append(line).push_back('\n');
  }
}

std::string LabelValue(const LabelPairs& labels, const std::string& name) {
  for (const auto& [key, value] : labels) {
    if (key == name) return value;
  }
  return "-";
}

void AppendSeriesTable(const QueryResult& result, std::string* out) {
  const bool matrix = result.type == ResultType::kMatrix;
  if (result.series.empty()) return;  // nothing to show, not even a header
  std::set<std::string> names;
  for (const MetricSeries& series : result.series) {
    for (const auto& pair : series.labels) names.insert(pair.first);
  }
  std::vector<Row> rows;
  Row header(names.begin(), names.end());
  if (matrix) header.push_back("TIME");
  header.push_back("VALUE");
  rows.push_back(header);
  for (const MetricSeries& series : result.series) {
    for (const MetricPoint& point : series.points) {
      Row row;
      for (const std::string& name : names) row.push_back(LabelValue(series.labels, name));
      if (matrix) row.push_back(time::FormatRfc3339Nano(point.timestamp_ns));
      row.push_back(point.value);
      rows.push_back(std::move(row));
    }
  }
  AppendTable(rows, out);
}

void AppendPointJson(const LabelPairs& labels, const MetricPoint& point, std::string* out) {
  out->append("{\"timestamp\":\"");
  out->append(time::FormatRfc3339Nano(point.timestamp_ns));
  out->append("\",\"labels\":");
  AppendJsonObject(labels, out);
  out->append(",\"value\":");
  json::AppendJsonString(point.value, out);
  out->append("}\n");
}

}  // namespace

void AppendMetricResult(const QueryResult& result, OutputMode mode, std::string* out) {
  const bool scalar = result.type == ResultType::kScalar || result.type == ResultType::kString;
  if (mode == OutputMode::kJsonl) {
    if (scalar) {
      AppendPointJson({}, result.scalar, out);
      return;
    }
    for (const MetricSeries& series : result.series) {
      for (const MetricPoint& point : series.points) AppendPointJson(series.labels, point, out);
    }
    return;
  }
  if (scalar) {
    out->append(result.scalar.value).push_back('\n');
    return;
  }
  AppendSeriesTable(result, out);
}

}  // namespace silt::cli
