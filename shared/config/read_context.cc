#include "shared/config/read_context.h"

#include <yaml-cpp/mark.h>

#include <algorithm>
#include <set>
#include <tuple>

namespace silt::config {

Position ToPosition(const YAML::Mark& mark) {
  if (mark.line < 0 || mark.column < 0) return Position{};
  return Position{mark.line + 1, mark.column + 1};
}

ReadContext::ReadContext(std::string source_name, LoadOptions options)
    : source_name_(std::move(source_name)), options_(std::move(options)) {
  if (options_.expand_env && !options_.env) options_.env = ProcessEnv();
}

void ReadContext::AddError(Position position, std::string_view path, std::string_view message) {
  std::string text = source_name_ + ":" + std::to_string(position.line) + ":" +
                     std::to_string(position.column) + ": ";
  if (!path.empty()) text.append(path).append(": ");
  text.append(message);
  errors_.push_back(Error{position, std::move(text)});
}

Status ReadContext::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::vector<const Error*> sorted;
  for (const Error& e : errors_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Error* a, const Error* b) {
    return std::tie(a->position.line, a->position.column) <
           std::tie(b->position.line, b->position.column);
  });
  std::string message;
  std::set<std::string_view> seen;
  for (const Error* e : sorted) {
    if (!seen.insert(e->text).second) continue;
    if (!message.empty()) message.push_back('\n');
    message.append(e->text);
  }
  return Status::InvalidArgument(std::move(message));
}

}  // namespace silt::config
