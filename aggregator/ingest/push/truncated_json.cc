#include "aggregator/ingest/push/truncated_json.h"

#include <utility>
#include <vector>

namespace silt::ingest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// `end` is just past the root's closing bracket.
ClosedJson TrimAfterRoot(std::string* text, size_t end, ClosedJson result) {
  size_t next = end;
  while (next < text->size() && IsSpace((*text)[next])) ++next;
  if (next < text->size()) {
    result.trailing_at = next;
    text->resize(end);
  }
  return result;
}

}  // namespace

ClosedJson CloseTruncatedJson(std::string* text, size_t depth) {
  ClosedJson result;
  result.original_size = text->size();
  std::vector<std::pair<char, size_t>> open;  // closer, offset of the opener
  bool in_string = false;
  bool escaped = false;
  for (size_t i = 0; i < text->size(); ++i) {
    const char c = (*text)[i];
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      open.push_back({c == '{' ? '}' : ']', i});
    } else if (c == '}' || c == ']') {
      if (open.empty()) return result;
      open.pop_back();
      if (open.empty()) return TrimAfterRoot(text, i + 1, result);
    }
  }
  if (in_string || open.empty()) return result;
  if (depth >= 1 && depth <= open.size()) result.cut_element = open[depth - 1].second;
  // A trailing comma or colon would still be a syntax error: drop it.
  while (!text->empty() && (text->back() == ',' || text->back() == ':' || IsSpace(text->back()))) {
    text->pop_back();
  }
  for (auto it = open.rbegin(); it != open.rend(); ++it) text->push_back(it->first);
  result.closed = true;
  return result;
}

}  // namespace silt::ingest
