// Loki's JSON push body (POST /loki/api/v1/push with Content-Type application/json, and
// `silt-aggregator ingest` on stdin):
//
//   {"streams":[{"stream":{"job":"api"},"values":[["1700000000000000000","GET /"],
//                                                 ["1700000000000000001","x",{"trace_id":"a1"}]]}]}
//
// Each value is [timestamp as a string of ns since the epoch, line, optional structured metadata
// object of string values]. Unknown keys are ignored, as Loki's decoder does; when a key repeats
// in "stream" the last value wins.
//
// Read with simdjson's on-demand API in one pass: lines are unescaped once into the parser's
// string buffer (kept alive by DecodedPush::storage) and never copied again. Bad input costs only
// what it touches: an entry of the wrong shape is refused alone (reason invalid_entry), a stream
// whose "stream" or "values" is not usable is refused with its entries, and a syntax error stops
// reading at its line:column, keeping everything before it. Invalid UTF-8 is replaced by U+FFFD
// per byte, as Go's encoding/json (and so Loki) does. Messages name the stream by index and
// line:column, then the JSON path of the bad part and what to fix.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "aggregator/ingest/push/decoded_push.h"

namespace silt::ingest {

// Decodes `body` (taken, to be padded for simdjson without a second copy when it has capacity).
// Never fails as a whole: problems are in the result's rejections.
DecodedPush DecodeLokiPushJson(std::string body);

}  // namespace silt::ingest
