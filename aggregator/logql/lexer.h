// Lexer: splits a LogQL query into tokens (token.h) with 1-based line:column positions (columns
// count Unicode code points, as Loki's do). Whitespace separates tokens; `#` starts a comment
// that runs to the end of the line. Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregator/logql/token.h"
#include "shared/status/result.h"

namespace silt::logql {

// The error text every LogQL parse error starts with: "parse error at line L, col C: ".
std::string ParseErrorPrefix(int line, int column);

// Returns the tokens of `query`, always ending with one kEnd token.
//   strings: "..." with Go escapes (\n \t \" \\ \xHH \uHHHH ...) or `...` raw;
//   numbers: 12, 1.5, .5, 1e3 (a sign is a separate token);
//   a number directly followed by a unit is a DURATION when it parses as one (5m, 1h30m, 500ms,
//   7d, case-sensitive units) and otherwise BYTES (10KB, 1.5MiB, 20b, case-insensitive units);
//   `[5m]` is one RANGE token (spaces inside are allowed);
//   `--name` (a letter after the dashes) is a PARSER_FLAG.
// Fails with InvalidArgument "parse error at line L, col C: <what>" for an unterminated or
// malformed string, an unknown character, a malformed duration, size or range.
Result<std::vector<Token>> Tokenize(std::string_view query);

}  // namespace silt::logql
