// JSON path parser for `| json label="path"` (json_path.h).
#include "aggregator/logql/json_path.h"

#include <utility>

#include "shared/labels/string_literal.h"

namespace silt::logql {
namespace {

bool IsFieldChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || static_cast<unsigned char>(c) >= 0x80;
}

Status PathError(size_t at, std::string message) {
  return Status::InvalidArgument("col " + std::to_string(at + 1) + ": " + message);
}

// Parses `[N]` or `["key"]` starting at path[*pos] == '['.
Result<JsonPathPart> ParseBracket(std::string_view path, size_t* pos) {
  size_t open = *pos;
  JsonPathPart part;
  size_t i = open + 1;
  if (i < path.size() && (path[i] == '"' || path[i] == '`')) {
    Result<std::string> key = labels::ReadStringLiteral(path, &i);
    if (!key.ok()) return PathError(open, "bad quoted key: " + std::string(key.status().message()));
    part.key = std::move(key).value();
  } else {
    size_t digits = i;
    while (i < path.size() && path[i] >= '0' && path[i] <= '9' && i - digits < 18) {
      part.index = part.index * 10 + (path[i] - '0');
      ++i;
    }
    if (i == digits) return PathError(open, "expected an array index or a quoted key after '['");
    part.is_index = true;
  }
  if (i >= path.size() || path[i] != ']') return PathError(open, "unclosed '['");
  *pos = i + 1;
  return part;
}

}  // namespace

Result<std::vector<JsonPathPart>> ParseJsonPath(std::string_view path) {
  std::vector<JsonPathPart> parts;
  size_t pos = 0;
  if (path.empty()) return PathError(0, "empty JSON path");
  while (pos < path.size()) {
    if (path[pos] == '[') {
      SILT_ASSIGN_OR_RETURN(JsonPathPart part, ParseBracket(path, &pos));
      parts.push_back(std::move(part));
      continue;
    }
    if (path[pos] == '.') {
      if (parts.empty() || pos + 1 >= path.size() || path[pos + 1] == '.' || path[pos + 1] == '[') {
        return PathError(pos, "'.' must separate two field names");
      }
      ++pos;
    }
    size_t start = pos;
    while (pos < path.size() && IsFieldChar(path[pos])) ++pos;
    if (pos == start) {
      return PathError(pos, std::string("unexpected '") + path[pos] +
                                "' (quote such a name as [\"name\"])");
    }
    JsonPathPart part;
    part.key = std::string(path.substr(start, pos - start));
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace silt::logql
