// The regexp parser stage (regexp_parser.h).
#include "aggregator/logql/pipeline/regexp_parser.h"

#include <re2/re2.h>

#include <map>
#include <string>
#include <vector>

namespace silt::logql::pipeline {
namespace {

class RegexpStage final : public Stage {
 public:
  explicit RegexpStage(std::unique_ptr<RE2> regex) : regex_(std::move(regex)) {
    groups_ = regex_->NumberOfCapturingGroups() + 1;
    names_.resize(static_cast<size_t>(groups_));
    for (const auto& [name, index] : regex_->NamedCapturingGroups()) {
      names_[static_cast<size_t>(index)] = name;
    }
  }

  bool Process(EntryContext* entry) const override {
    // Up to 64 groups on the stack; larger expressions use the heap.
    re2::StringPiece stack[64];
    std::vector<re2::StringPiece> heap;
    re2::StringPiece* groups = stack;
    if (groups_ > 64) {
      heap.resize(static_cast<size_t>(groups_));
      groups = heap.data();
    }
    re2::StringPiece text(entry->line.data(), entry->line.size());
    if (!regex_->Match(text, 0, text.size(), RE2::UNANCHORED, groups, groups_)) return true;
    for (size_t i = 1; i < names_.size(); ++i) {
      if (names_[i].empty()) continue;
      entry->labels->SetExtracted(names_[i], std::string_view(groups[i].data(), groups[i].size()));
    }
    return true;
  }

 private:
  std::unique_ptr<RE2> regex_;
  int groups_ = 0;
  std::vector<std::string> names_;  // by group index; "" for unnamed groups
};

}  // namespace

Result<std::unique_ptr<Stage>> CompileRegexpParser(const RegexpParser& parser) {
  RE2::Options options;
  options.set_log_errors(false);
  auto regex = std::make_unique<RE2>(parser.regex, options);
  if (!regex->ok()) {
    return Status::InvalidArgument("regexp parser: invalid regular expression \"" + parser.regex +
                                   "\": " + regex->error());
  }
  if (regex->NamedCapturingGroups().empty()) {
    return Status::InvalidArgument("regexp parser: \"" + parser.regex +
                                   "\" has no named capture group; add one such as (?P<name>...)");
  }
  return std::unique_ptr<Stage>(std::make_unique<RegexpStage>(std::move(regex)));
}

}  // namespace silt::logql::pipeline
