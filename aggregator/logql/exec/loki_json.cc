#include "aggregator/logql/exec/loki_json.h"

#include <cinttypes>
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

void AppendStream(const LogStream& stream, std::string* out) {
  *out += "{\"stream\":{";
  bool first = true;
  for (const labels::LabelView label : stream.labels) {
    if (!first) *out += ',';
    first = false;
    json::AppendJsonString(label.name, out);
    *out += ':';
    json::AppendJsonString(label.value, out);
  }
  *out += "},\"values\":[";
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
  *out += '}';
}

}  // namespace

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
