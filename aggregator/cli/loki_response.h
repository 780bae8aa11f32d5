// The JSON answers of Loki's HTTP API, parsed with simdjson into plain structs: query and
// query_range results (streams, matrix, vector, scalar, string), labels and label values, series,
// index stats and tail messages. Works for Silt's aggregator and for Loki (same shapes:
// docs/http-api.md). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "shared/status/result.h"

namespace silt::cli {

// Label pairs in the order the server wrote them (Loki sorts them by name).
using LabelPairs = std::vector<std::pair<std::string, std::string>>;

struct LogEntry {
  int64_t timestamp_ns = 0;
  std::string line;
  LabelPairs metadata;  // structured metadata (the third element of a value), if any
};

struct LogStream {
  LabelPairs labels;
  std::vector<LogEntry> entries;
};

struct MetricPoint {
  int64_t timestamp_ns = 0;
  std::string value;  // as the server wrote it ("0.5", "NaN", "+Inf")
};

struct MetricSeries {
  LabelPairs labels;
  std::vector<MetricPoint> points;  // one for a vector sample
};

enum class ResultType { kStreams, kMatrix, kVector, kScalar, kString };

struct QueryResult {
  ResultType type = ResultType::kStreams;
  std::vector<LogStream> streams;    // kStreams
  std::vector<MetricSeries> series;  // kMatrix, kVector
  MetricPoint scalar;                // kScalar, kString (value holds the string)
};

// A tail message: new entries and the ones the server dropped for this client.
struct TailMessage {
  std::vector<LogStream> streams;
  std::vector<std::pair<LabelPairs, int64_t>> dropped;  // labels, timestamp
};

// Each parser returns InvalidArgument naming what is missing or malformed (with the first bytes
// of `json`) when the answer is not the expected shape.
Result<QueryResult> ParseQueryResponse(std::string_view json);
// /labels and /label/<name>/values: {"status":"success","data":["a","b"]}.
Result<std::vector<std::string>> ParseStringList(std::string_view json);
// /series: {"status":"success","data":[{"job":"a"},...]}.
Result<std::vector<LabelPairs>> ParseSeriesList(std::string_view json);
// /index/stats: {"streams":2,"chunks":3,"bytes":1530,"entries":5} as (name, number text) pairs in
// the server's order.
Result<LabelPairs> ParseIndexStats(std::string_view json);
Result<TailMessage> ParseTailMessage(std::string_view json);

}  // namespace silt::cli
