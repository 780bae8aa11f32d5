// The `| label_format dst=src, dst2="{{...}}"` stage, as Loki applies it, item by item:
//   - `dst=src` renames: when `src` is present, `dst` takes its value and `src` is removed;
//   - `dst="tmpl"` renders the template (format/template_eval.h) and sets `dst`; every template
//     item sees the labels as they were when the stage reached its first template item (later
//     items of the same stage do not see earlier templates' results); a render error sets
//     __error__=TemplateFormatErr and __error_details__ and leaves `dst` unchanged.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument naming the item when a template cannot be compiled.
Result<std::unique_ptr<Stage>> CompileLabelFormat(const LabelFormatStage& stage);

}  // namespace silt::logql::pipeline
