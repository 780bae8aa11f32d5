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
// streamsSelected). docs/logql.md lists every field. Pure functions; thread-safe.
#pragma once

#include <string>

#include "aggregator/logql/exec/log_query_executor.h"
#include "aggregator/logql/exec/query_stats.h"

namespace silt::logql::exec {

// The whole response body for `result`, without a trailing newline.
std::string EncodeStreamsResponse(const LogQueryResult& result);

// Appends the `stats` object (`{"summary":...}`) to *out.
void AppendStatsJson(const QueryStats& stats, std::string* out);

}  // namespace silt::logql::exec
