// Pipeline: a log query's stages (log_expr.h PipelineStage) compiled once per query and applied
// to one entry at a time, as Loki's log.Pipeline / StreamPipeline do:
//
//   Result<std::unique_ptr<Pipeline>> p = Pipeline::Compile(query.pipeline);
//   std::unique_ptr<StreamPipeline> sp = (*p)->ForStream(selection.labels);   // per stream
//   PipelineEntry out;
//   if (sp->Process(ts, line, metadata, &out)) { emit out.line with out.labels }
//
// Stages run in query order: line filters (contains, regex via RE2, pattern, ip), decolorize,
// parsers (json, logfmt, regexp, pattern, unpack) that add extracted labels (names sanitized,
// a clash with an existing label becomes `<name>_extracted`, failures set `__error__` and
// `__error_details__` instead of dropping the entry), label filters, line_format,
// label_format, drop and keep. Structured metadata of the entry is visible as labels from the
// start, as in Loki. An entry is dropped when a filter rejects it; nothing else drops one.
//
// Output labels (`PipelineEntry::labels`) are the stream's labels plus metadata plus extracted
// labels minus dropped ones, as one LabelSet; a StreamPipeline caches LabelSets so that entries
// with the same resulting labels share one (Loki's "series" of a log query).
//
// Thread-safety: Pipeline is immutable after Compile and may be shared; ForStream may be called
// from several threads. A StreamPipeline is used by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/logql/log_expr.h"
#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::logql {

// The result of one entry through the pipeline. Views stay valid until the next Process() call
// on the same StreamPipeline.
struct PipelineEntry {
  std::string_view line;   // the original line, or line_format's output
  labels::LabelSet labels; // see above
};

class StreamPipeline {
 public:
  virtual ~StreamPipeline() = default;
  // Runs the stages on one entry. False when a filter dropped it (then `out` is unspecified).
  // `metadata` is the entry's structured metadata (name order not guaranteed).
  virtual bool Process(int64_t timestamp_ns, std::string_view line,
                       std::span<const labels::LabelView> metadata, PipelineEntry* out) = 0;
};

class Pipeline {
 public:
  virtual ~Pipeline() = default;

  // Compiles the stages (regexes, templates, pattern and JSON path programs). InvalidArgument
  // naming the stage when something the parser accepted cannot be compiled.
  static Result<std::unique_ptr<Pipeline>> Compile(const std::vector<PipelineStage>& stages);

  // True when the pipeline has no stage that can change labels or the line (only line filters):
  // the executor may then skip label work entirely.
  virtual bool FiltersOnly() const = 0;

  // A per-stream instance (caches for that stream's labels).
  virtual std::unique_ptr<StreamPipeline> ForStream(const labels::LabelSet& stream_labels) const = 0;
};

}  // namespace silt::logql
