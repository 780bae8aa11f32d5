// The `| line_format "{{...}}"` stage: the template (format/template_eval.h) rendered with the
// entry's labels as of this stage, `__line__` and `__timestamp__` replaces the line. A render
// error sets __error__=TemplateFormatErr and __error_details__ and keeps the line, as in Loki.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument when the template cannot be compiled (CompiledTemplate::Compile).
Result<std::unique_ptr<Stage>> CompileLineFormat(const LineFormatStage& stage);

}  // namespace silt::logql::pipeline
