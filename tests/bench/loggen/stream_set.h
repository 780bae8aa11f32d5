// StreamSet: the streams silt-loggen writes to, each a label set
//   {app="...", host="...", job="<format>", namespace="..."}
// plus what the lines of that stream repeat (host and app inside syslog and JSON lines, a pid).
//
// `cardinality` C bounds the distinct values of each of the three varying labels (app, host,
// namespace). Stream s takes the base-C digits d0 d1 d2 of s and uses the value indexes
//   host = d0,  app = (d0 + d1) mod C,  namespace = (d0 + d1 + d2) mod C.
// This map is a bijection on [0, C^3), so N <= C^3 streams have N distinct label sets, and each
// varying label has exactly min(N, C) distinct values. `job` is the stream's format name (one
// value, or up to seven in mixed mode). Labels depend only on N, C and the format, not on the
// seed. Immutable after Create; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "shared/status/result.h"
#include "tests/bench/loggen/format.h"

namespace silt::loggen {

struct Stream {
  uint32_t index = 0;
  Format format = Format::kNginx;  // concrete, never kMixed
  std::string app;
  std::string host;
  std::string job;
  std::string namespace_name;
  uint32_t pid = 0;  // the process id the stream's lines show (syslog PROCID, [pid])
  // Label pairs sorted by name: app, host, job, namespace.
  std::vector<std::pair<std::string, std::string>> labels;
  // The labels as a JSON object: {"app":"checkout","host":"web-01",...}.
  std::string labels_json;
};

// The i-th value of each varying label. Distinct for distinct i.
std::string HostValue(uint32_t i);
std::string AppValue(uint32_t i);
std::string NamespaceValue(uint32_t i);

class StreamSet {
 public:
  // `format` may be kMixed: stream s then uses ConcreteFormats()[s % 7]. `cardinality` 0 picks
  // the smallest C with C^3 >= streams. Returns InvalidArgument when streams is 0 or above
  // 1,000,000, or when streams > cardinality^3 (the message says the cardinality needed).
  static Result<StreamSet> Create(Format format, uint32_t streams, uint32_t cardinality);

  size_t size() const { return streams_.size(); }
  const Stream& operator[](size_t i) const { return streams_[i]; }
  uint32_t cardinality() const { return cardinality_; }

 private:
  StreamSet() = default;

  std::vector<Stream> streams_;
  uint32_t cardinality_ = 1;
};

}  // namespace silt::loggen
