// The AST of a log query: a stream selector and its pipeline of stages
// (`{app="api"} |= "error" | json | status >= 500 | line_format "{{.msg}}"`). Every node is a
// typed value with structural equality and a String() that prints canonical LogQL, so that
// parsing String() gives back an equal tree. Thread-safe to read.
#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "aggregator/logql/json_path.h"
#include "aggregator/logql/label_filter_expr.h"
#include "aggregator/logql/pattern_syntax.h"
#include "aggregator/logql/template.h"
#include "shared/labels/matcher.h"

namespace silt::logql {

enum class LineFilterOp : unsigned char {
  kContains,     // |=
  kNotContains,  // !=
  kRegex,        // |~ (RE2, unanchored)
  kNotRegex,     // !~
  kPattern,      // |> (pattern_syntax.h)
  kNotPattern,   // !>
};
std::string_view LineFilterOpText(LineFilterOp op);

// One alternative of a line filter: a literal / regex / pattern, or `ip("...")`.
struct LineFilterTerm {
  bool is_ip = false;
  std::string value;
  bool operator==(const LineFilterTerm&) const = default;
};

// `|= "a"`, `|~ "re" or "re2"`, `!= ip("10.0.0.0/8")`: `terms` (at least one) are `or`-ed
// alternatives under one operator, as Loki writes `|= "a" or "b"`.
struct LineFilter {
  LineFilterOp op = LineFilterOp::kContains;
  std::vector<LineFilterTerm> terms;
  bool operator==(const LineFilter&) const = default;
  std::string String() const;
};

// A `label="path"` parameter of `json` (path in json_path.h syntax) or `logfmt` (a key).
struct ExtractionParam {
  std::string label;
  std::string expression;
  std::vector<JsonPathPart> json_path;  // json only: `expression` parsed
  bool operator==(const ExtractionParam&) const = default;
};

struct JsonParser {
  std::vector<ExtractionParam> params;  // empty: every key, flattened with '_'
  bool operator==(const JsonParser&) const = default;
};

struct LogfmtParser {
  bool strict = false;      // --strict: stop at the first malformed pair
  bool keep_empty = false;  // --keep-empty: keep standalone keys as empty labels
  std::vector<ExtractionParam> params;  // empty: every key
  bool operator==(const LogfmtParser&) const = default;
};

struct RegexpParser {
  std::string regex;                 // RE2 syntax, unanchored
  std::vector<std::string> names;    // its named groups, in order
  bool operator==(const RegexpParser&) const = default;
};

struct PatternParser {
  std::string pattern;
  std::vector<PatternPart> parts;
  bool operator==(const PatternParser&) const = default;
};

struct UnpackParser {
  bool operator==(const UnpackParser&) const = default;
};

struct DecolorizeStage {
  bool operator==(const DecolorizeStage&) const = default;
};

struct LineFormatStage {
  Template tmpl;
  bool operator==(const LineFormatStage&) const = default;
};

// One `dst=src` (rename) or `dst="template"` of label_format.
struct LabelFormatItem {
  std::string dst;
  bool is_template = false;
  std::string src;                // rename: the source label
  std::optional<Template> tmpl;   // template
  bool operator==(const LabelFormatItem&) const = default;
};

struct LabelFormatStage {
  std::vector<LabelFormatItem> items;
  bool operator==(const LabelFormatStage&) const = default;
};

struct LabelFilterStage {
  LabelFilterExpr expr;
  bool operator==(const LabelFilterStage&) const = default;
};

// One operand of drop/keep: a bare name, or a matcher (`level="debug"`) that applies only when
// the label's value matches.
struct LabelSelection {
  std::string name;
  std::optional<labels::Matcher> matcher;
  bool operator==(const LabelSelection&) const = default;
};

struct DropStage {
  std::vector<LabelSelection> labels;
  bool operator==(const DropStage&) const = default;
};

struct KeepStage {
  std::vector<LabelSelection> labels;
  bool operator==(const KeepStage&) const = default;
};

using PipelineStage =
    std::variant<LineFilter, JsonParser, LogfmtParser, RegexpParser, PatternParser, UnpackParser,
                 DecolorizeStage, LineFormatStage, LabelFormatStage, LabelFilterStage, DropStage,
                 KeepStage>;

// Canonical text of one stage: ` |= "a"` for a line filter, ` | json` etc. for the others (each
// starts with a space so a pipeline is the concatenation of its stages).
std::string StageString(const PipelineStage& stage);

struct LogQuery {
  std::vector<labels::Matcher> selector;  // at least one; one is not empty-compatible
  std::vector<PipelineStage> pipeline;
  bool operator==(const LogQuery&) const = default;

  // `{app="api", env!="dev"} |= "error" | json`.
  std::string String() const;
};

}  // namespace silt::logql
