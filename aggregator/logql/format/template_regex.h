// CompileTemplateRegex: a regex argument of regexReplaceAll, regexReplaceAllLiteral or count,
// compiled with RE2 in Go regexp's dialect (UTF-8, Perl classes, leftmost-first). Used when a
// template is compiled (literal patterns) and when it runs (patterns computed per entry).
// Thread-safety: the returned RE2 is immutable and may be shared.
#pragma once

#include <memory>
#include <string_view>

#include "shared/status/result.h"

namespace re2 {
class RE2;
}

namespace silt::logql::format {

// The names of functions whose first argument is a regex.
bool TakesRegexFirst(std::string_view function);

// The compiled regex, or InvalidArgument "error parsing regexp: <what>: `<pattern>`".
Result<std::unique_ptr<re2::RE2>> CompileTemplateRegex(std::string_view pattern);

}  // namespace silt::logql::format
