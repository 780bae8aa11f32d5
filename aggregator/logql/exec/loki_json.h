// The Loki HTTP API's JSON for a log query result (GET /loki/api/v1/query_range with a log
// query), as `silt-aggregator query` prints it and the HTTP API will serve it:
//
//   {"status":"success","data":{"resultType":"streams","result":[
//     {"stream":{"job":"api"},"values":[["1700000000000000000","GET /"],...]},...],
//    "stats":{"summary":{...},"querier":{"store":{...}},"ingester":{...},"silt":{...}}}}
//
// Timestamps are decimal strings of ns since the epoch; lines, label names and values are
// escaped by json::AppendJsonString (invalid UTF-8 becomes U+FFFD, never invalid JSON).
// `stats` uses Loki's field names (summary.totalBytesProcessed, totalLinesProcessed,
// totalEntriesReturned, execTime in seconds, querier.store.totalChunksRef,
// totalChunksDownloaded, chunk.decompressedLines/Bytes); Silt's block counts, which Loki does
// not have, are in stats.silt (blocksRead, blocksSkippedByBloom, blocksFailed,
// streamsSelected). docs/logql.md lists every field.
//
// Metric query results (aggregator/logql/metric) use Prometheus' shapes inside the same envelope:
//   matrix (range query):  "result":[{"metric":{"job":"api"},"values":[[1700000000,"0.5"],...]}]
//   vector (instant query): "result":[{"metric":{"job":"api"},"value":[1700000000.25,"2"]}]
//   scalar (instant query of a number): "result":[1700000000,"3"]
// Times are unix seconds with millisecond precision, as Prometheus' MarshalTimestamp writes them
// (`1700000000`, `1700000000.250`); values are strings as strconv.FormatFloat(v, 'f', -1, 64)
// writes them, with `NaN`, `+Inf` and `-Inf`. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/query_stats.h"

namespace silt::logql::exec {

// One point of a matrix series.
struct MetricPoint {
  int64_t timestamp_ns = 0;
  double value = 0;
};

// One series of a matrix result; points in time order.
struct MetricSeries {
  labels::LabelSet labels;
  std::vector<MetricPoint> points;
};

// One element of an instant vector.
struct MetricSample {
  labels::LabelSet labels;
  double value = 0;
};

// The whole response body for `result`, without a trailing newline.
std::string EncodeStreamsResponse(const LogQueryResult& result);

// The response of a range metric query; series are written in the given order.
std::string EncodeMatrixResponse(std::span<const MetricSeries> series, const QueryStats& stats);

// The response of an instant metric query: every sample at `timestamp_ns`, in the given order.
std::string EncodeVectorResponse(std::span<const MetricSample> samples, int64_t timestamp_ns,
                                 const QueryStats& stats);

// The response of an instant query whose result is a number.
std::string EncodeScalarResponse(int64_t timestamp_ns, double value, const QueryStats& stats);

// `value` as Go's strconv.FormatFloat(value, 'f', -1, 64): the shortest decimal that reads back
// to the same double, never an exponent ("0.1", "100000000000000000000", "-0"); "NaN", "+Inf",
// "-Inf" for the non-finite values.
std::string FormatSampleValue(double value);

// Appends `nanos` as Prometheus writes a sample time: unix seconds, then `.` and exactly three
// digits of milliseconds when those are not zero (sub-millisecond digits are dropped).
void AppendSampleTime(int64_t nanos, std::string* out);

// Appends the `stats` object (`{"summary":...}`) to *out.
void AppendStatsJson(const QueryStats& stats, std::string* out);

}  // namespace silt::logql::exec
