// Template: a parsed Go text/template, as `line_format` and `label_format` use it. The parser
// checks the syntax LogQL users write (text, {{ actions }} with `{{-`/`-}}` trimming, comments,
// pipelines with `|`, field references `.name`, `.`, function calls with string, number, bool
// and nil arguments, parenthesised pipelines, if / else if / else / end) and that every function
// is one the template engine provides, so a typo is reported before any log line is read, at its
// template position. The source text is kept: it is what String() prints and what defines
// equality. `range`, `with`, `define`, `template`, `block` and variables are rejected.
// Value type; immutable after Parse; thread-safe to read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "aggregator/logql/box.h"
#include "shared/status/result.h"

namespace silt::logql {

struct TemplatePipeline;

// One argument of a command.
struct TemplateOperand {
  enum class Kind : unsigned char {
    kField,     // .name or .a.b: `fields` holds the names
    kDot,       // .
    kString,    // "..." or `...`: `text` holds the decoded bytes
    kNumber,    // 12, -1.5: `text` holds the source text, `number` the value
    kBool,      // true / false
    kNil,       // nil
    kFunction,  // a function name: `text`
    kPipeline,  // ( pipeline ), optionally followed by .fields
  };
  Kind kind = Kind::kDot;
  std::vector<std::string> fields;
  std::string text;
  double number = 0;
  bool boolean = false;
  std::optional<Box<TemplatePipeline>> pipeline;
  int line = 1;    // position in the template source (1-based)
  int column = 1;

  bool operator==(const TemplateOperand&) const = default;
};

// A command: a function applied to arguments, or a single operand.
struct TemplateCommand {
  std::vector<TemplateOperand> operands;
  bool operator==(const TemplateCommand&) const = default;
};

// Commands joined by `|`; each command's result is the last argument of the next one.
struct TemplatePipeline {
  std::vector<TemplateCommand> commands;
  bool operator==(const TemplatePipeline&) const = default;
};

struct TemplateNode {
  enum class Kind : unsigned char {
    kText,    // literal text (after trimming); `text`
    kAction,  // {{ pipeline }}: `pipeline`
    kIf,      // {{ if pipeline }} then_nodes [{{ else }} else_nodes] {{ end }}; `else if` nests
  };
  Kind kind = Kind::kText;
  std::string text;
  std::optional<TemplatePipeline> pipeline;
  std::vector<TemplateNode> then_nodes;
  std::vector<TemplateNode> else_nodes;

  bool operator==(const TemplateNode&) const = default;
};

class Template {
 public:
  // Parses `source`. On failure returns InvalidArgument "line L, col C: <what>" with the
  // position inside `source`, e.g. `line 1, col 4: function "uper" not defined`.
  static Result<Template> Parse(std::string source);

  const std::string& source() const { return source_; }
  const std::vector<TemplateNode>& nodes() const { return nodes_; }

  friend bool operator==(const Template& a, const Template& b) { return a.source_ == b.source_; }

 private:
  Template(std::string source, std::vector<TemplateNode> nodes)
      : source_(std::move(source)), nodes_(std::move(nodes)) {}

  std::string source_;
  std::vector<TemplateNode> nodes_;
};

// True when `name` is a function line_format and label_format templates may call: Go's builtins
// (and, or, not, len, index, printf, eq, ne, lt, le, gt, ge, ...) and Loki's template functions
// (__line__, __timestamp__, upper, lower, title, trim*, replace, regexReplaceAll*, default,
// substr, trunc, contains, hasPrefix, hasSuffix, toDate, date, unixEpoch*, duration, bytes,
// arithmetic, fromJson, ...).
bool IsTemplateFunction(std::string_view name);

}  // namespace silt::logql
