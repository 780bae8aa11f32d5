// JsonPath: the path of a `| json label="path"` parameter, as Loki's json expression language
// writes it: field names joined by dots, [N] array indexes and ["key"] for names with other
// characters, e.g. `servers[0].host`, `headers["User-Agent"]`, `a.b`. Value type; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/status/result.h"

namespace silt::logql {

struct JsonPathPart {
  bool is_index = false;
  std::string key;    // when !is_index
  int64_t index = 0;  // when is_index
  bool operator==(const JsonPathPart&) const = default;
};

// Parses `path`. Fails with InvalidArgument "col C: <what>" (1-based byte column inside the path)
// for an empty path or part, an unclosed bracket, a bad index or a bad quoted key.
Result<std::vector<JsonPathPart>> ParseJsonPath(std::string_view path);

}  // namespace silt::logql
