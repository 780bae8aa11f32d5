// Log query AST printing (log_expr.h).
#include "aggregator/logql/log_expr.h"

#include "shared/labels/string_literal.h"

namespace silt::logql {
namespace {

void AppendParams(const std::vector<ExtractionParam>& params, std::string* out) {
  for (size_t i = 0; i < params.size(); ++i) {
    out->append(i == 0 ? " " : ",");
    labels::AppendLabelName(params[i].label, out);
    out->push_back('=');
    labels::AppendQuoted(params[i].expression, out);
  }
}

void AppendSelections(std::string_view keyword, const std::vector<LabelSelection>& selections,
                      std::string* out) {
  out->append(" | ");
  out->append(keyword);
  for (size_t i = 0; i < selections.size(); ++i) {
    out->append(i == 0 ? " " : ",");
    if (selections[i].matcher.has_value()) {
      out->append(selections[i].matcher->ToString());
    } else {
      labels::AppendLabelName(selections[i].name, out);
    }
  }
}

void AppendLabelFormat(const LabelFormatStage& stage, std::string* out) {
  out->append(" | label_format");
  for (size_t i = 0; i < stage.items.size(); ++i) {
    const LabelFormatItem& item = stage.items[i];
    out->append(i == 0 ? " " : ",");
    labels::AppendLabelName(item.dst, out);
    out->push_back('=');
    if (item.is_template) {
      labels::AppendQuoted(item.tmpl->source(), out);
    } else {
      labels::AppendLabelName(item.src, out);
    }
  }
}

struct StagePrinter {
  std::string* out;

  void operator()(const LineFilter& f) const { out->append(" " + f.String()); }
  void operator()(const JsonParser& p) const {
    out->append(" | json");
    AppendParams(p.params, out);
  }
  void operator()(const LogfmtParser& p) const {
    out->append(" | logfmt");
    if (p.strict) out->append(" --strict");
    if (p.keep_empty) out->append(" --keep-empty");
    AppendParams(p.params, out);
  }
  void operator()(const RegexpParser& p) const {
    out->append(" | regexp ");
    labels::AppendQuoted(p.regex, out);
  }
  void operator()(const PatternParser& p) const {
    out->append(" | pattern ");
    labels::AppendQuoted(p.pattern, out);
  }
  void operator()(const UnpackParser&) const { out->append(" | unpack"); }
  void operator()(const DecolorizeStage&) const { out->append(" | decolorize"); }
  void operator()(const LineFormatStage& s) const {
    out->append(" | line_format ");
    labels::AppendQuoted(s.tmpl.source(), out);
  }
  void operator()(const LabelFormatStage& s) const { AppendLabelFormat(s, out); }
  void operator()(const LabelFilterStage& s) const { out->append(" | " + s.expr.String()); }
  void operator()(const DropStage& s) const { AppendSelections("drop", s.labels, out); }
  void operator()(const KeepStage& s) const { AppendSelections("keep", s.labels, out); }
};

}  // namespace

std::string_view LineFilterOpText(LineFilterOp op) {
  switch (op) {
    case LineFilterOp::kContains: return "|=";
    case LineFilterOp::kNotContains: return "!=";
    case LineFilterOp::kRegex: return "|~";
    case LineFilterOp::kNotRegex: return "!~";
    case LineFilterOp::kPattern: return "|>";
    case LineFilterOp::kNotPattern: return "!>";
  }
  return "?";
}

std::string LineFilter::String() const {
  std::string out(LineFilterOpText(op));
  for (size_t i = 0; i < terms.size(); ++i) {
    out.append(i == 0 ? " " : " or ");
    if (terms[i].is_ip) out.append("ip(");
    labels::AppendQuoted(terms[i].value, &out);
    if (terms[i].is_ip) out.push_back(')');
  }
  return out;
}

std::string StageString(const PipelineStage& stage) {
  std::string out;
  std::visit(StagePrinter{&out}, stage);
  return out;
}

std::string LogQuery::String() const {
  std::string out = "{";
  for (size_t i = 0; i < selector.size(); ++i) {
    if (i > 0) out.append(", ");
    out.append(selector[i].ToString());
  }
  out.push_back('}');
  for (const PipelineStage& stage : pipeline) out.append(StageString(stage));
  return out;
}

}  // namespace silt::logql
