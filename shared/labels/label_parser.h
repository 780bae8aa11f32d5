// Parses the canonical text form of a label set, `{a="x", b="y"}`, as LabelSet::ToString()
// writes it and as people type it: whitespace is allowed between tokens, values (and names that
// are not [a-zA-Z_][a-zA-Z0-9_]*) are Go string literals ("..." with escapes, or raw `...`), and a
// trailing comma is accepted. Stateless; thread-safe.
#pragma once

#include <string_view>

#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace silt::labels {

// Returns the label set written in `text`. Label names are checked for syntax only (reserved and
// over-long names parse; see validation.h). A label with an empty value is absent, as in
// LabelSetBuilder. Errors are InvalidArgument "column <N>: <problem>" with N the 1-based byte
// column, e.g. `column 6: expected '=' after label name "job"`; a name given twice is an error.
// ParseLabels(s.ToString()) == s for every LabelSet s.
Result<LabelSet> ParseLabels(std::string_view text);

}  // namespace silt::labels
