// Stage dispatch (stage_compiler.h).
#include "aggregator/logql/pipeline/stage_compiler.h"

#include <variant>

#include "aggregator/logql/pipeline/decolorize.h"
#include "aggregator/logql/pipeline/drop_keep.h"
#include "aggregator/logql/pipeline/json_parser.h"
#include "aggregator/logql/pipeline/label_filter.h"
#include "aggregator/logql/pipeline/label_format.h"
#include "aggregator/logql/pipeline/line_filter.h"
#include "aggregator/logql/pipeline/line_format.h"
#include "aggregator/logql/pipeline/logfmt_parser.h"
#include "aggregator/logql/pipeline/pattern_parser.h"
#include "aggregator/logql/pipeline/regexp_parser.h"
#include "aggregator/logql/pipeline/unpack_parser.h"

namespace silt::logql::pipeline {
namespace {

using StageResult = Result<std::unique_ptr<Stage>>;

struct Compiler {
  StageResult operator()(const LineFilter& s) const { return CompileLineFilter(s); }
  StageResult operator()(const JsonParser& s) const { return MakeJsonParser(s); }
  StageResult operator()(const LogfmtParser& s) const { return MakeLogfmtParser(s); }
  StageResult operator()(const RegexpParser& s) const { return CompileRegexpParser(s); }
  StageResult operator()(const PatternParser& s) const { return MakePatternParser(s); }
  StageResult operator()(const UnpackParser&) const { return MakeUnpackParser(); }
  StageResult operator()(const DecolorizeStage&) const { return MakeDecolorizeStage(); }
  StageResult operator()(const LineFormatStage& s) const { return CompileLineFormat(s); }
  StageResult operator()(const LabelFormatStage& s) const { return CompileLabelFormat(s); }
  StageResult operator()(const LabelFilterStage& s) const { return CompileLabelFilter(s.expr); }
  StageResult operator()(const DropStage& s) const { return MakeDropStage(s); }
  StageResult operator()(const KeepStage& s) const { return MakeKeepStage(s); }
};

}  // namespace

Result<std::unique_ptr<Stage>> CompileStage(const PipelineStage& stage) {
  StageResult result = std::visit(Compiler{}, stage);
  if (!result.ok()) return result.status().WithContext("stage `" + StageString(stage).substr(1) + "`");
  return result;
}

}  // namespace silt::logql::pipeline
