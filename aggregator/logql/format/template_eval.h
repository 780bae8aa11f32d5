// Template evaluation: renders a parsed Template (template.h) for one log entry, with Go
// text/template semantics as Loki's line_format and label_format use them: `.name` is the label
// `name` (empty string when absent), `.` is the map of labels, `__line__` and `__timestamp__`
// are the entry's line and time, and the functions of IsTemplateFunction() behave as Loki's
// (Go builtins, Sprig-derived string, math, date and regex functions, fromJson, ...).
// A runtime error (a function failing on its input, e.g. `div` by zero or a bad regex in
// regexReplaceAll) is returned as a Status; the pipeline then sets `__error__=TemplateFormatErr`
// and `__error_details__` and keeps the entry, as Loki does.
//
// Thread-safety: a CompiledTemplate is immutable and may be shared; Render is reentrant.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aggregator/logql/template.h"
#include "shared/status/result.h"

namespace silt::logql {

// What a template can see of the entry being formatted.
struct TemplateInput {
  std::string_view line;
  int64_t timestamp_ns = 0;
  // The value of label `name` at this point of the pipeline, or nullopt when absent.
  std::function<std::optional<std::string_view>(std::string_view name)> label;
  // Calls `visit(name, value)` for every label, in name order (for `.` and templates that
  // range over labels).
  std::function<void(const std::function<void(std::string_view, std::string_view)>& visit)>
      each_label;
};

class CompiledTemplate {
 public:
  // Precompiles what can be (regex arguments that are literals, function lookups).
  // InvalidArgument with the template position when a literal argument is invalid (a bad regex).
  static Result<std::unique_ptr<CompiledTemplate>> Compile(const Template& tmpl);
  virtual ~CompiledTemplate() = default;

  // Appends the rendered text to `out` (cleared first). On error, `out` is unspecified.
  virtual Status Render(const TemplateInput& input, std::string* out) const = 0;
};

}  // namespace silt::logql
