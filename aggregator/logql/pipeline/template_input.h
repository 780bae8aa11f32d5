// MakeTemplateInput: the TemplateInput (format/template_eval.h) through which line_format and
// label_format templates see an entry: its line, time and the labels as of that stage.
// Thread-safety: the result refers to `entry` and is used on its thread only.
#pragma once

#include "aggregator/logql/format/template_eval.h"
#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

// `labels` must stay unchanged while the input is used (label_format renders into a scratch
// string first and sets labels afterwards).
TemplateInput MakeTemplateInput(const EntryContext& entry, const LabelsBuilder& labels);

}  // namespace silt::logql::pipeline
