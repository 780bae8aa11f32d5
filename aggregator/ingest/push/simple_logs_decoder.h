// The simple JSON body of POST /api/v1/logs, for scripts and services without a Loki client:
// one entry object or an array of them,
//
//   {"timestamp": "2026-12-06T03:00:00.5Z", "message": "GET /", "labels": {"job": "api"}}
//   [{"message": "no timestamp: stamped with the receive time", "labels": {"job": "cron"}},
//    {"timestamp": 1764990000123, "message": "unix ms", "labels": {"job": "cron"}}]
//
// "message" (string) and "labels" (object of string values, at least one) are required.
// "timestamp" is optional (absent or null: the receive time); it is a number or a string of
// Unix time whose unit follows from its integer digits (<= 10 seconds, 11-13 milliseconds,
// 14-16 microseconds, 17-19 nanoseconds; a fraction only with seconds, "1764990000.25"), or an
// RFC 3339 string. Other keys are ignored. Entries with equal labels become one stream, in
// input order.
//
// Each bad entry is refused alone (invalid_entry or missing_labels); a syntax error stops
// reading at its position and keeps the entries before it. Invalid UTF-8 is replaced by U+FFFD
// as for Loki JSON.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "aggregator/ingest/push/decoded_push.h"
#include "shared/status/result.h"

namespace silt::ingest {

// Decodes `body` (taken); `now` (ns since the epoch) stamps entries without a timestamp.
// Never fails as a whole: problems are in the result's rejections.
DecodedPush DecodeSimpleLogs(std::string body, int64_t now);

// Parses a "timestamp" given as text (a JSON string, or a JSON number's literal) as described
// above. InvalidArgument quoting it otherwise.
Result<int64_t> ParseSimpleTimestamp(std::string_view text);

}  // namespace silt::ingest
