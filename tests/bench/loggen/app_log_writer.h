// AppLogWriter: structured application logs, one line per entry, as JSON
//   {"ts":"2024-01-01T00:00:00.123Z","level":"info","service":"checkout","msg":"request
//   completed","trace_id":"<32 hex>","span_id":"<16 hex>","method":"GET","path":"/api/v1/...",
//   "status":200,"duration_ms":12.345,"bytes":1234}
// or as logfmt
//   ts=2024-01-01T00:00:00.123456Z level=info caller=server.go:142 msg="request completed"
//   method=GET path=/api/v1/users/42 status=200 duration=12.345ms trace_id=<32 hex> ...
// Entries are HTTP requests (55%: level follows the status) or events (a level-skewed message
// and one to three fields such as user_id or attempt). Trace ids recur: 30% of entries reuse
// one of the last eight, as the spans of one trace do. `msg` is the free-text part for
// --line-size; a small target (below 220 bytes for JSON, 180 for logfmt) also drops the optional
// trace ids and caller. Not thread-safe.
#pragma once

#include <cstdint>

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/entry_writer.h"

namespace silt::loggen {

class AppLogWriter final : public EntryWriter {
 public:
  enum class Style { kJson, kLogfmt };

  explicit AppLogWriter(Style style);

  bool Write(const LineContext& ctx, TextBuffer* out) override;

 private:
  // A request's fields; what the two styles print.
  struct Request {
    std::string_view method;
    size_t path_start = 0;  // the path is expanded into the scratch buffer path_
    uint64_t status = 200;
    int64_t duration_us = 0;
    int64_t bytes = 0;
  };

  void AppendTraceIds(Rng& rng, TextBuffer* out);
  void WriteRequestFields(const Request& request, TextBuffer* out) const;
  void WriteEventFields(Rng& rng, TextBuffer* out) const;
  // Appends `key` and the separator before its value in this style: ,"key": or  key=
  void AppendKey(std::string_view key, TextBuffer* out) const;

  Style style_;
  WeightedPicker methods_;
  WeightedPicker statuses_;
  WeightedPicker paths_;
  TextBuffer path_;
  uint64_t recent_traces_[8][2] = {};
  uint64_t traces_seen_ = 0;
};

}  // namespace silt::loggen
