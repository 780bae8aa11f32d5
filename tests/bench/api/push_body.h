// Loki push bodies for the API benchmarks, the same entries in both of Loki's encodings: JSON
// (`{"streams":[{"stream":{...},"values":[["<ns>","<line>"],...]}]}`) and the snappy-compressed
// serialised logproto.PushRequest of aggregator/ingest/push/push.proto (what Promtail sends).
// Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace silt::bench {

struct BodyStream {
  std::vector<std::pair<std::string, std::string>> labels;  // name, value (valid label names)
  std::vector<std::pair<int64_t, std::string>> entries;     // unix nanoseconds, line
};

// The JSON body (Content-Type application/json); lines and label values are JSON-escaped.
std::string LokiJsonBody(const std::vector<BodyStream>& streams);

// The protobuf body (Content-Type application/x-protobuf): labels in Prometheus text form
// ({job="x", host="a"}), snappy block-compressed.
std::string LokiProtoBody(const std::vector<BodyStream>& streams);

}  // namespace silt::bench
