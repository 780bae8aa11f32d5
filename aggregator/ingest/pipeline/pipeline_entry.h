// PipelineEntry: one log entry as it goes through an ingest Pipeline: its stream labels, its
// timestamp, its line and structured metadata, the labels stages promote, and the fields stages
// extract (local to the entry; what is not promoted or moved to metadata is forgotten). It also
// carries the per-thread scratch the stages parse with, so a listener that keeps one
// PipelineEntry per thread and calls Reset() for each line pays no per-entry heap allocation
// once the buffers are warm.
//
// Thread-safety: none; one thread uses an entry at a time.
#pragma once

#include <re2/re2.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/ingest/pipeline/field_list.h"
#include "shared/labels/label_set.h"

namespace silt::ingest {

struct JsonScratch;  // json_scratch.h

// Parser state reused between entries by the stages of any pipeline.
struct StageScratch {
  StageScratch();
  ~StageScratch();
  StageScratch(const StageScratch&) = delete;
  StageScratch& operator=(const StageScratch&) = delete;

  // The `json` stage's parser, made by the first json stage that runs on this entry.
  std::unique_ptr<JsonScratch> json;
  std::string text;                      // an unescaped or formatted value
  FieldList pending;                     // a stage's fields, committed only when the stage succeeds
  std::vector<re2::StringPiece> groups;  // regex submatches
};

class PipelineEntry {
 public:
  // Starts a new entry. `line` must stay valid until the entry is Reset again or its line is
  // read for the last time (stages that change the line copy it into the entry).
  void Reset(labels::LabelSet stream_labels, int64_t timestamp, std::string_view line,
             std::span<const labels::LabelView> metadata = {});

  // The stream labels with the promoted labels added (a promoted name replaces an input label of
  // the same name). Returns the input set itself, without allocating, when nothing was promoted.
  labels::LabelSet OutputLabels() const;

  // Replaces the line with a copy of `line` (which may point into this entry's fields).
  void SetLine(std::string_view line);

  const labels::LabelSet& stream_labels() const { return stream_labels_; }
  std::string_view line() const { return line_; }

  int64_t timestamp = 0;  // ns since the Unix epoch
  FieldList fields;       // extracted by parser stages
  FieldList promoted;     // labels added by `labels` stages
  FieldList metadata;     // structured metadata (the input's, plus what stages moved here)
  // Set by a `labels` stage whose cardinality guard refused a value of this entry.
  bool label_refused = false;
  StageScratch scratch;

 private:
  labels::LabelSet stream_labels_;
  std::string_view line_;
  std::string line_buffer_;
  std::string line_next_;
};

}  // namespace silt::ingest
