#include "agent/discovery/watch_set.h"

#include <algorithm>
#include <map>
#include <utility>

namespace silt::agent {
namespace {

std::string_view BaseName(std::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

Status AddGlobs(const std::string& pattern, std::vector<GlobPattern>* out) {
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> expanded, ExpandBraces(pattern));
  for (const std::string& alternative : expanded) {
    SILT_ASSIGN_OR_RETURN(GlobPattern glob, GlobPattern::Compile(alternative));
    out->push_back(std::move(glob));
  }
  return Status::Ok();
}

Status AddNamePatterns(const std::string& pattern, std::vector<std::string>* out) {
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> expanded, ExpandBraces(pattern));
  for (std::string& alternative : expanded) {
    SILT_RETURN_IF_ERROR(CheckNamePattern(alternative));
    out->push_back(std::move(alternative));
  }
  return Status::Ok();
}

}  // namespace

Result<WatchSet> WatchSet::Create(std::vector<WatchRule> rules,
                                  std::vector<std::string> ignored_suffixes) {
  WatchSet set;
  set.ignored_suffixes_ = std::move(ignored_suffixes);
  for (size_t i = 0; i < rules.size(); ++i) {
    const std::string where = "watches[" + std::to_string(i) + "]";
    Compiled watch;
    for (const std::string& pattern : rules[i].paths) {
      Status status = AddGlobs(pattern, &watch.globs);
      if (!status.ok()) return status.WithContext(where + ".paths");
    }
    for (const std::string& pattern : rules[i].exclude) {
      Status status;
      if (pattern.find('/') != std::string::npos) {
        status = AddGlobs(pattern, &watch.exclude_globs);
      } else {
        status = AddNamePatterns(pattern, &watch.exclude_names);
      }
      if (!status.ok()) return status.WithContext(where + ".exclude");
    }
    Result<PathLabeler> labeler = PathLabeler::Create(rules[i].path_labels);
    if (!labeler.ok()) return labeler.status().WithContext(where);
    watch.labeler = std::move(*labeler);
    watch.rule = std::move(rules[i]);
    set.watches_.push_back(std::move(watch));
  }
  return set;
}

ScanResult WatchSet::Scan(const GlobExpandOptions& options) const {
  ScanResult result;
  std::map<std::string, size_t> owner;
  GlobMatches all;
  for (size_t i = 0; i < watches_.size(); ++i) {
    GlobMatches matches;
    ExpandGlobs(watches_[i].globs, options, &matches);
    for (std::string& path : matches.files) {
      if (Excluded(watches_[i], path) || Ignored(path)) continue;
      owner.try_emplace(std::move(path), i);
    }
    all.directories.insert(all.directories.end(), matches.directories.begin(),
                           matches.directories.end());
    all.errors.insert(all.errors.end(), matches.errors.begin(), matches.errors.end());
  }
  for (auto& [path, rule] : owner) {
    result.paths.push_back(path);
    result.rules.push_back(rule);
  }
  std::sort(all.directories.begin(), all.directories.end());
  all.directories.erase(std::unique(all.directories.begin(), all.directories.end()),
                        all.directories.end());
  result.directories = std::move(all.directories);
  result.errors = std::move(all.errors);
  return result;
}

std::optional<size_t> WatchSet::RuleFor(std::string_view path) const {
  if (Ignored(path)) return std::nullopt;
  for (size_t i = 0; i < watches_.size(); ++i) {
    const Compiled& watch = watches_[i];
    const bool matched = std::any_of(watch.globs.begin(), watch.globs.end(),
                                     [&](const GlobPattern& glob) { return glob.Matches(path); });
    if (matched && !Excluded(watch, path)) return i;
  }
  return std::nullopt;
}

labels::LabelSet WatchSet::LabelsFor(std::string_view path, size_t* rejected) const {
  std::optional<size_t> rule = RuleFor(path);
  if (!rule.has_value()) return labels::LabelSet();
  const Compiled& watch = watches_[*rule];
  if (watch.labeler.empty()) return watch.rule.labels;
  labels::LabelSetBuilder builder(watch.rule.labels);
  const size_t dropped = watch.labeler.Apply(path, &builder);
  if (rejected != nullptr) *rejected += dropped;
  return builder.Build();
}

bool WatchSet::Excluded(const Compiled& watch, std::string_view path) const {
  for (const GlobPattern& glob : watch.exclude_globs) {
    if (glob.Matches(path)) return true;
  }
  const std::string_view name = BaseName(path);
  for (const std::string& pattern : watch.exclude_names) {
    if (GlobPattern::MatchSegment(pattern, name)) return true;
  }
  return false;
}

bool WatchSet::Ignored(std::string_view path) const {
  return std::any_of(ignored_suffixes_.begin(), ignored_suffixes_.end(),
                     [&](const std::string& s) { return !s.empty() && path.ends_with(s); });
}

}  // namespace silt::agent
