// Loki's JSON push body (POST /loki/api/v1/push, application/json), as `silt-aggregator ingest`
// reads it from stdin:
//
//   {"streams":[{"stream":{"job":"api"},"values":[["1700000000000000000","GET /"],
//                                                 ["1700000000000000001","x",{"trace_id":"a1"}]]}]}
//
// Each value is [timestamp as a string of ns since the epoch, line, optional structured metadata
// object of string values]. Stream labels are validated with shared/labels/validation.h (Loki's
// limits). Bad input is reported per stream and never costs the other streams: a stream with a
// problem is skipped whole, with a message naming its index, its line:column in the input, the
// JSON path of the bad part and what to fix. A syntax error stops reading at its line:column;
// the streams before it are kept. Invalid JSON that simdjson rejects before reading (invalid
// UTF-8, an unclosed string) loses everything, with simdjson's reason.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/labels/label_set.h"
#include "shared/labels/validation.h"

namespace silt::aggregator {

struct PushJsonEntry {
  int64_t timestamp = 0;
  std::string line;
  std::vector<labels::Label> metadata;
};

struct PushJsonStream {
  labels::LabelSet labels;
  std::vector<PushJsonEntry> entries;
};

struct PushJsonBody {
  std::vector<PushJsonStream> streams;  // the valid ones, in input order
  std::vector<std::string> problems;    // one message per skipped stream or syntax error
};

PushJsonBody ParseLokiPushJson(std::string_view input, const labels::ValidationLimits& limits);

}  // namespace silt::aggregator
