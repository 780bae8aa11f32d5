// PathLabeler: labels taken from a file's path by RE2 regexes with named groups (a watch's
// `path_labels`), e.g. `/var/log/(?P<app>[^/]+)/(?P<component>[^/.]+)\.log` gives
// {app="nginx", component="access"} for /var/log/nginx/access.log. Each regex is searched
// unanchored (use ^ and $ to anchor); every regex that matches adds its named groups, a later
// regex overriding an earlier one's label. A group that did not take part or captured nothing
// adds nothing, as does a value that is not valid UTF-8 or is longer than 2048 bytes (Loki's
// limit); such values are counted in `rejected_values`.
//
// Thread-safety: immutable after Create; Apply may be called from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "shared/labels/label_set.h"
#include "shared/status/result.h"

namespace re2 {
class RE2;
}  // namespace re2

namespace silt::agent {

class PathLabeler {
 public:
  // Compiles `regexes`. InvalidArgument naming the regex (by index and text) when one does not
  // compile, has no named group, or names a group with something that is not a label name
  // ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__").
  static Result<PathLabeler> Create(const std::vector<std::string>& regexes);

  PathLabeler();
  PathLabeler(PathLabeler&&) noexcept;
  PathLabeler& operator=(PathLabeler&&) noexcept;
  ~PathLabeler();

  // Sets the labels captured from `path` in *builder. Returns the number of captured values
  // dropped because they were not valid UTF-8 or too long.
  size_t Apply(std::string_view path, labels::LabelSetBuilder* builder) const;
  bool empty() const { return regexes_.empty(); }

 private:
  struct Compiled;
  std::vector<std::shared_ptr<const Compiled>> regexes_;
};

}  // namespace silt::agent
