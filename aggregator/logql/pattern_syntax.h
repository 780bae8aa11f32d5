// PatternSyntax: Loki's pattern expressions, used by the `| pattern "..."` parser and by the
// `|> "..."` / `!> "..."` line filters: literal text and captures `<name>` (named, an identifier)
// or `<_>` (matches without extracting). A `<` that does not start a capture is literal text.
// Value type; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::logql {

struct PatternPart {
  bool is_capture = false;
  std::string text;  // the literal, or the capture name ("_" for an unnamed capture)
  bool operator==(const PatternPart&) const = default;
};

// Splits `pattern` into parts. Two captures may not follow each other (nothing would separate
// what they match), and a name may be captured once. With `require_named_capture` (the pattern
// parser), at least one named capture is required. Fails with InvalidArgument naming the problem
// and its 1-based byte column, e.g. `found consecutive capture "<b>" at col 4`.
Result<std::vector<PatternPart>> ParsePattern(std::string_view pattern, bool require_named_capture);

}  // namespace silt::logql
