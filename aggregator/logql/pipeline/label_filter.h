// Label filter stages (`| status >= 500 and level=~"warn|error"`), with Loki's semantics:
//   - string matchers (labels::Matcher) compare the label's value, "" when absent, so
//     `__error__=""` keeps entries without a parser error;
//   - numeric (float64, Go ParseFloat syntax), duration (Go durations: "1.5s", "100ms") and
//     byte-size ("10KB", "1MiB", as humanize reads them) comparisons drop an entry without the
//     label, pass an entry that already has an __error__, and when the value does not convert
//     set __error__=LabelFilterErr and __error_details__ (e.g. `strconv.ParseFloat: parsing
//     "abc": invalid syntax`) and keep the entry;
//   - `ip()` filters match the label's value as one address (absent label: dropped; existing
//     __error__: passed);
//   - `and` evaluates both sides, `or` stops at a true left side.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/label_filter_expr.h"
#include "aggregator/logql/pipeline/stage.h"
#include "shared/status/result.h"

namespace silt::logql::pipeline {

// InvalidArgument naming the filter when an ip() pattern does not compile.
Result<std::unique_ptr<Stage>> CompileLabelFilter(const LabelFilterExpr& expr);

}  // namespace silt::logql::pipeline
