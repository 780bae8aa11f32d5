#include "aggregator/logql/exec/loki_json.h"

#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>

#include "shared/json/json_string.h"

namespace silt::logql::exec {
namespace {

void AppendField(const char* name, uint64_t value, std::string* out) {
  *out += '"';
  *out += name;
  *out += "\":";
  *out += std::to_string(value);
}

// Seconds as a JSON number (Grafana expects float seconds).
void AppendSeconds(const char* name, int64_t nanos, std::string* out) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.9f", static_cast<double>(nanos) / 1e9);
  *out += '"';
  *out += name;
  *out += "\":";
  *out += text;
}

uint64_t PerSecond(uint64_t count, int64_t nanos) {
  if (nanos <= 0) return 0;
  return static_cast<uint64_t>(static_cast<double>(count) * 1e9 / static_cast<double>(nanos));
}

void AppendLabels(const labels::LabelSet& set, std::string* out) {
  *out += '{';
  bool first = true;
  for (const labels::LabelView label : set) {
    if (!first) *out += ',';
    first = false;
    json::AppendJsonString(label.name, out);
    *out += ':';
    json::AppendJsonString(label.value, out);
  }
  *out += '}';
}

void AppendStream(const LogStream& stream, std::string* out) {
  *out += "{\"stream\":";
  AppendLabels(stream.labels, out);
  *out += ",\"values\":[";
  for (size_t i = 0; i < stream.entries.size(); ++i) {
    if (i != 0) *out += ',';
    *out += "[\"";
    *out += std::to_string(stream.entries[i].timestamp);
    *out += "\",";
    json::AppendJsonString(stream.entries[i].line, out);
    *out += ']';
  }
  *out += "]}";
}

void AppendSummary(const QueryStats& s, std::string* out) {
  *out += "\"summary\":{";
  AppendField("bytesProcessedPerSecond", PerSecond(s.bytes_processed, s.exec_time_ns), out);
  *out += ',';
  AppendField("linesProcessedPerSecond", PerSecond(s.lines_processed, s.exec_time_ns), out);
  *out += ',';
  AppendField("totalBytesProcessed", s.bytes_processed, out);
  *out += ',';
  AppendField("totalLinesProcessed", s.lines_processed, out);
  *out += ',';
  AppendSeconds("execTime", s.exec_time_ns, out);
  *out += ',';
  AppendSeconds("queueTime", 0, out);
  *out += ',';
  AppendField("subqueries", 0, out);
  *out += ',';
  AppendField("totalEntriesReturned", s.entries_returned, out);
  *out += '}';
}

void AppendQuerier(const QueryStats& s, std::string* out) {
  *out += "\"querier\":{\"store\":{";
  AppendField("totalChunksRef", s.chunks_referenced, out);
  *out += ',';
  AppendField("totalChunksDownloaded", s.chunks_read, out);
  *out += ',';
  AppendSeconds("chunksDownloadTime", 0, out);
  *out += ",\"chunk\":{";
  AppendField("headChunkBytes", 0, out);
  *out += ',';
  AppendField("headChunkLines", 0, out);
  *out += ',';
  AppendField("decompressedBytes", s.bytes_processed, out);
  *out += ',';
  AppendField("decompressedLines", s.lines_processed, out);
  *out += ',';
  AppendField("compressedBytes", 0, out);
  *out += ',';
  AppendField("totalDuplicates", 0, out);
  *out += "}}}";
}

void AppendSilt(const QueryStats& s, std::string* out) {
  *out += "\"silt\":{";
  AppendField("streamsSelected", s.streams_selected, out);
  *out += ',';
  AppendField("blocksRead", s.blocks_read, out);
  *out += ',';
  AppendField("blocksSkippedByBloom", s.blocks_skipped_by_bloom, out);
  *out += ',';
  AppendField("blocksFailed", s.blocks_failed, out);
  *out += ',';
  AppendField("peakMemoryBytes", s.peak_memory_bytes, out);
  *out += '}';
}

// `[<time>,"<value>"]`.
void AppendPoint(int64_t nanos, double value, std::string* out) {
  *out += '[';
  AppendSampleTime(nanos, out);
  *out += ",\"";
  *out += FormatSampleValue(value);
  *out += "\"]";
}

std::string Envelope(const char* result_type) {
  std::string out = "{\"status\":\"success\",\"data\":{\"resultType\":\"";
  out += result_type;
  out += "\",\"result\":";
  return out;
}

void CloseEnvelope(const QueryStats& stats, std::string* out) {
  *out += ",\"stats\":";
  AppendStatsJson(stats, out);
  *out += "}}";
}

}  // namespace

std::string FormatSampleValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[400];  // DBL_MAX in plain notation is 309 digits
  auto [end, ec] = std::to_chars(text, text + sizeof(text), value, std::chars_format::fixed);
  if (ec != std::errc()) return "NaN";  // unreachable: the buffer fits every double
  return std::string(text, end);
}

void AppendSampleTime(int64_t nanos, std::string* out) {
  int64_t millis = nanos / 1'000'000;
  if (millis < 0) {
    *out += '-';
    millis = -millis;
  }
  *out += std::to_string(millis / 1000);
  const int64_t fraction = millis % 1000;
  if (fraction == 0) return;
  char text[8];
  std::snprintf(text, sizeof(text), ".%03d", static_cast<int>(fraction));
  *out += text;
}

std::string EncodeMatrixResponse(std::span<const MetricSeries> series, const QueryStats& stats) {
  std::string out = Envelope("matrix");
  out += '[';
  for (size_t i = 0; i < series.size(); ++i) {
    if (i != 0) out += ',';
    out += "{\"metric\":";
    AppendLabels(series[i].labels, &out);
    out += ",\"values\":[";
    for (size_t j = 0; j < series[i].points.size(); ++j) {
      if (j != 0) out += ',';
      AppendPoint(series[i].points[j].timestamp_ns, series[i].points[j].value, &out);
    }
    out += "]}";
  }
  out += ']';
  CloseEnvelope(stats, &out);
  return out;
}

std::string EncodeVectorResponse(std::span<const MetricSample> samples, int64_t timestamp_ns,
                                 const QueryStats& stats) {
  std::string out = Envelope("vector");
  out += '[';
  for (size_t i = 0; i < samples.size(); ++i) {
    if (i != 0) out += ',';
    out += "{\"metric\":";
    AppendLabels(samples[i].labels, &out);
    out += ",\"value\":";
    AppendPoint(timestamp_ns, samples[i].value, &out);
    out += '}';
  }
  out += ']';
  CloseEnvelope(stats, &out);
  return out;
}

std::string EncodeScalarResponse(int64_t timestamp_ns, double value, const QueryStats& stats) {
  std::string out = Envelope("scalar");
  AppendPoint(timestamp_ns, value, &out);
  CloseEnvelope(stats, &out);
  return out;
}

void AppendStatsJson(const QueryStats& stats, std::string* out) {
  *out += '{';
  AppendSummary(stats, out);
  *out += ',';
  AppendQuerier(stats, out);
  *out += ",\"ingester\":{";
  AppendField("totalReached", 0, out);
  *out += ',';
  AppendField("totalChunksMatched", 0, out);
  *out += ',';
  AppendField("totalBatches", 0, out);
  *out += ',';
  AppendField("totalLinesSent", 0, out);
  *out += "},";
  AppendSilt(stats, out);
  *out += '}';
}

std::string EncodeStreamsResponse(const LogQueryResult& result) {
  std::string out = "{\"status\":\"success\",\"data\":{\"resultType\":\"streams\",\"result\":[";
  for (size_t i = 0; i < result.streams.size(); ++i) {
    if (i != 0) out += ',';
    AppendStream(result.streams[i], &out);
  }
  out += "],\"stats\":";
  AppendStatsJson(result.stats, &out);
  out += "}}";
  return out;
}

}  // namespace silt::logql::exec
