// Stage: one compiled pipeline stage, and EntryContext, the entry it works on. A Stage is built
// once per query (stage_compiler.h) and shared by every StreamPipeline of that query, so it is
// immutable; per-stream mutable state (line buffers, the JSON parser, scratch strings) lives in
// the EntryContext's StageScratch, which the StreamPipeline owns.
//
// Thread-safety: Stage::Process is const and reentrant; an EntryContext belongs to one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/logql/pipeline/labels_builder.h"

namespace silt::logql::pipeline {

class JsonScratch;

// Reusable buffers of one StreamPipeline, so stages do not allocate per entry.
struct StageScratch {
  StageScratch();
  ~StageScratch();
  StageScratch(const StageScratch&) = delete;
  StageScratch& operator=(const StageScratch&) = delete;

  std::string line_buffers[2];  // line_format, decolorize and unpack write the new line here
  int current_line_buffer = -1;  // the buffer `EntryContext::line` points into, or -1
  std::string name;              // a sanitized label name
  std::string value;             // an unescaped value
  std::string text;              // anything else (error details, rendered templates)
  LabelsBuilder snapshot;        // label_format: the labels its templates see
  std::unique_ptr<JsonScratch> json;  // created on first use by the JSON stages
};

struct EntryContext {
  int64_t timestamp_ns = 0;
  std::string_view line;
  LabelsBuilder* labels = nullptr;
  StageScratch* scratch = nullptr;

  // A buffer for a new line that does not alias `line`; call SetLine with it when done.
  std::string* NewLineBuffer() {
    return &scratch->line_buffers[scratch->current_line_buffer == 0 ? 1 : 0];
  }
  // Makes `buffer` (from NewLineBuffer) the current line.
  void SetLine(std::string* buffer) {
    scratch->current_line_buffer = buffer == &scratch->line_buffers[0] ? 0 : 1;
    line = *buffer;
  }
};

class Stage {
 public:
  virtual ~Stage() = default;
  // Applies the stage to `entry`; false when the entry is dropped (filters only).
  virtual bool Process(EntryContext* entry) const = 0;
  // True for line filters (they neither read nor change labels).
  virtual bool IsLineFilter() const { return false; }
};

}  // namespace silt::logql::pipeline
