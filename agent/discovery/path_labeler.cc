#include "agent/discovery/path_labeler.h"

#include <re2/re2.h>

#include <map>
#include <utility>

#include "shared/labels/utf8.h"
#include "shared/labels/validation.h"

namespace silt::agent {
namespace {

constexpr size_t kMaxValueBytes = 2048;

}  // namespace

struct PathLabeler::Compiled {
  std::unique_ptr<re2::RE2> regex;
  std::vector<std::string> group_names;  // by group index - 1; empty for unnamed groups
};

PathLabeler::PathLabeler() = default;
PathLabeler::PathLabeler(PathLabeler&&) noexcept = default;
PathLabeler& PathLabeler::operator=(PathLabeler&&) noexcept = default;
PathLabeler::~PathLabeler() = default;

Result<PathLabeler> PathLabeler::Create(const std::vector<std::string>& regexes) {
  PathLabeler labeler;
  for (size_t i = 0; i < regexes.size(); ++i) {
    const std::string where = "path_labels[" + std::to_string(i) + "] \"" + regexes[i] + "\"";
    re2::RE2::Options options;
    options.set_log_errors(false);
    auto compiled = std::make_shared<Compiled>();
    compiled->regex = std::make_unique<re2::RE2>(regexes[i], options);
    if (!compiled->regex->ok()) {
      return Status::InvalidArgument(where +
                                     " is not a valid RE2 regex: " + compiled->regex->error());
    }
    const std::map<std::string, int>& named = compiled->regex->NamedCapturingGroups();
    if (named.empty()) {
      return Status::InvalidArgument(where +
                                     " has no named group; name what it captures, as in "
                                     "(?P<app>[^/]+)");
    }
    compiled->group_names.resize(compiled->regex->NumberOfCapturingGroups());
    for (const auto& [name, index] : named) {
      Status valid = labels::ValidateLabelName(name, /*allow_reserved=*/false);
      if (!valid.ok()) return Status::InvalidArgument(where + ": " + std::string(valid.message()));
      compiled->group_names[index - 1] = name;
    }
    labeler.regexes_.push_back(std::move(compiled));
  }
  return labeler;
}

size_t PathLabeler::Apply(std::string_view path, labels::LabelSetBuilder* builder) const {
  size_t rejected = 0;
  std::vector<re2::StringPiece> groups;
  for (const auto& compiled : regexes_) {
    groups.assign(compiled->group_names.size() + 1, re2::StringPiece());
    if (!compiled->regex->Match(re2::StringPiece(path.data(), path.size()), 0, path.size(),
                                re2::RE2::UNANCHORED, groups.data(),
                                static_cast<int>(groups.size()))) {
      continue;
    }
    for (size_t g = 0; g < compiled->group_names.size(); ++g) {
      const std::string& name = compiled->group_names[g];
      const re2::StringPiece value = groups[g + 1];
      if (name.empty() || value.data() == nullptr || value.empty()) continue;
      const std::string_view text(value.data(), value.size());
      if (text.size() > kMaxValueBytes || !labels::IsValidUtf8(text)) {
        ++rejected;
        continue;
      }
      builder->Set(name, text);
    }
  }
  return rejected;
}

}  // namespace silt::agent
