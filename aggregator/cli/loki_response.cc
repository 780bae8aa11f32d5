#include "aggregator/cli/loki_response.h"

#include <simdjson.h>

#include <charconv>
#include <cmath>

namespace silt::cli {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

Status Malformed(std::string_view what, std::string_view json) {
  constexpr size_t kShown = 200;
  std::string shown(json.substr(0, kShown));
  if (json.size() > kShown) shown += "...";
  return Status::InvalidArgument("unexpected answer from the server (" + std::string(what) +
                                 "): " + shown);
}

bool ReadLabels(element value, LabelPairs* out) {
  object labels;
  if (value.get_object().get(labels) != simdjson::SUCCESS) return false;
  for (auto field : labels) {
    std::string_view text;
    if (field.value.get_string().get(text) != simdjson::SUCCESS) return false;
    out->emplace_back(std::string(field.key), std::string(text));
  }
  return true;
}

bool ReadEntry(element value, LogEntry* entry) {
  array parts;
  std::string_view ts;
  std::string_view line;
  if (value.get_array().get(parts) != simdjson::SUCCESS || parts.size() < 2 ||
      parts.at(0).get_string().get(ts) != simdjson::SUCCESS ||
      parts.at(1).get_string().get(line) != simdjson::SUCCESS) {
    return false;
  }
  auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), entry->timestamp_ns);
  if (ec != std::errc() || end != ts.data() + ts.size()) return false;
  entry->line.assign(line);
  if (parts.size() > 2 && !ReadLabels(parts.at(2), &entry->metadata)) return false;
  return true;
}

bool ReadStreams(element result, std::vector<LogStream>* out) {
  array streams;
  if (result.get_array().get(streams) != simdjson::SUCCESS) return false;
  for (element stream : streams) {
    LogStream parsed;
    array values;
    if (!ReadLabels(stream["stream"], &parsed.labels) ||
        stream["values"].get_array().get(values) != simdjson::SUCCESS) {
      return false;
    }
    parsed.entries.reserve(values.size());
    for (element value : values) {
      if (!ReadEntry(value, &parsed.entries.emplace_back())) return false;
    }
    out->push_back(std::move(parsed));
  }
  return true;
}

// [<time number>, "<value>"]
bool ReadPoint(element value, MetricPoint* point) {
  array pair;
  std::string_view text;
  if (value.get_array().get(pair) != simdjson::SUCCESS || pair.size() != 2 ||
      pair.at(1).get_string().get(text) != simdjson::SUCCESS) {
    return false;
  }
  // Unix seconds, an integer or with a millisecond fraction ("1700000000.25").
  int64_t seconds = 0;
  double fractional = 0;
  if (pair.at(0).get_int64().get(seconds) == simdjson::SUCCESS) {
    point->timestamp_ns = seconds * 1'000'000'000;
  } else if (pair.at(0).get_double().get(fractional) == simdjson::SUCCESS) {
    point->timestamp_ns = std::llround(fractional * 1000) * 1'000'000;
  } else {
    return false;
  }
  point->value.assign(text);
  return true;
}

bool ReadSeries(element result, bool matrix, std::vector<MetricSeries>* out) {
  array all;
  if (result.get_array().get(all) != simdjson::SUCCESS) return false;
  for (element one : all) {
    MetricSeries series;
    if (!ReadLabels(one["metric"], &series.labels)) return false;
    if (matrix) {
      array values;
      if (one["values"].get_array().get(values) != simdjson::SUCCESS) return false;
      for (element value : values) {
        if (!ReadPoint(value, &series.points.emplace_back())) return false;
      }
    } else if (!ReadPoint(one["value"], &series.points.emplace_back())) {
      return false;
    }
    out->push_back(std::move(series));
  }
  return true;
}

}  // namespace

Result<QueryResult> ParseQueryResponse(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  std::string_view type;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS ||
      doc["data"]["resultType"].get_string().get(type) != simdjson::SUCCESS) {
    return Malformed("no data.resultType", json);
  }
  element result = doc["data"]["result"];
  QueryResult out;
  bool ok = false;
  if (type == "streams") {
    out.type = ResultType::kStreams;
    ok = ReadStreams(result, &out.streams);
  } else if (type == "matrix" || type == "vector") {
    out.type = type == "matrix" ? ResultType::kMatrix : ResultType::kVector;
    ok = ReadSeries(result, type == "matrix", &out.series);
  } else if (type == "scalar" || type == "string") {
    out.type = type == "scalar" ? ResultType::kScalar : ResultType::kString;
    ok = ReadPoint(result, &out.scalar);
  }
  if (!ok) return Malformed("resultType " + std::string(type), json);
  return out;
}

Result<std::vector<std::string>> ParseStringList(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  array data;
  std::vector<std::string> out;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    return Malformed("not JSON", json);
  }
  // Loki answers an empty list as "data":[] or leaves data out.
  if (doc["data"].get_array().get(data) != simdjson::SUCCESS) return out;
  for (element value : data) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS) return Malformed("data", json);
    out.emplace_back(text);
  }
  return out;
}

Result<std::vector<LabelPairs>> ParseSeriesList(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  array data;
  std::vector<LabelPairs> out;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS) {
    return Malformed("not JSON", json);
  }
  if (doc["data"].get_array().get(data) != simdjson::SUCCESS) return out;
  for (element value : data) {
    if (!ReadLabels(value, &out.emplace_back())) return Malformed("data", json);
  }
  return out;
}

Result<LabelPairs> ParseIndexStats(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  object fields;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS ||
      doc.get_object().get(fields) != simdjson::SUCCESS) {
    return Malformed("index stats", json);
  }
  LabelPairs out;
  for (auto field : fields) {
    out.emplace_back(std::string(field.key), std::string(simdjson::to_string(field.value)));
  }
  return out;
}

Result<TailMessage> ParseTailMessage(std::string_view json) {
  simdjson::dom::parser parser;
  element doc;
  TailMessage out;
  if (parser.parse(json.data(), json.size()).get(doc) != simdjson::SUCCESS ||
      !ReadStreams(doc["streams"], &out.streams)) {
    return Malformed("tail message", json);
  }
  array dropped;
  if (doc["dropped_entries"].get_array().get(dropped) == simdjson::SUCCESS) {
    for (element one : dropped) {
      LabelPairs labels;
      std::string_view ts;
      int64_t ns = 0;
      if (!ReadLabels(one["labels"], &labels) ||
          one["timestamp"].get_string().get(ts) != simdjson::SUCCESS) {
        return Malformed("dropped_entries", json);
      }
      std::from_chars(ts.data(), ts.data() + ts.size(), ns);
      out.dropped.emplace_back(std::move(labels), ns);
    }
  }
  return out;
}

}  // namespace silt::cli
