// label_replace(v, "dst", "replacement", "src", "regex") with Prometheus' semantics: for each
// sample, when the anchored RE2 `regex` matches the value of `src` (empty when absent), `dst`
// becomes `replacement` with $1, ${1}, $name and ${name} expanded as Go's Regexp.Expand does
// (`$$` is a `$`; an unknown group expands to nothing; `$1x` is the group named "1x"); an
// empty result removes `dst`. A sample whose `src` does not match is unchanged.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregator/logql/metric/step_values.h"
#include "aggregator/logql/metric_expr.h"
#include "shared/status/result.h"

namespace silt::logql::metric {

// Applies `replace` to every step of `input`. InvalidArgument for a scalar input, a regex RE2
// rejects, or two samples of one step ending with the same labels ("vector cannot contain
// metrics with the same labelset").
Result<StepValues> ApplyLabelReplace(const LabelReplace& replace, StepValues input);

// Go's Regexp.Expand of `templ` with the submatches `groups` (groups[0] is the whole match)
// and the group names `names` (names[i] names groups[i]; "" for unnamed).
std::string ExpandTemplate(std::string_view templ, const std::vector<std::string_view>& groups,
                           const std::vector<std::string>& names);

}  // namespace silt::logql::metric
