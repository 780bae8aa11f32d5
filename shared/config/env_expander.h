// Environment variable references in config values, as Loki and Promtail expand them with
// -config.expand-env (opt-in through LoadOptions::expand_env):
//   ${NAME}            the variable's value; an error when NAME is not set (empty is fine)
//   ${NAME:-default}   the value when NAME is set and not empty, otherwise `default` (literal
//                      text up to the closing brace)
//   $$                 a literal '$'
// Any other '$' is kept as written, so regexes ("^.*$") and replacement strings ("$1") need no
// escaping. NAME is [A-Za-z_][A-Za-z0-9_]*. Expansion is one level: a value containing "${...}"
// is not expanded again. Thread-safety: pure, apart from what `lookup` does.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "shared/status/result.h"

namespace silt::config {

// Returns the value of an environment variable, or nullopt when it is not set.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

// An EnvLookup reading the process environment (getenv).
EnvLookup ProcessEnv();

// Returns `text` with every reference replaced. InvalidArgument naming the reference for an unset
// variable without default, an unterminated "${", or an invalid variable name.
Result<std::string> ExpandEnv(std::string_view text, const EnvLookup& lookup);

}  // namespace silt::config
