// label_replace (label_replace.h).
#include "aggregator/logql/metric/label_replace.h"

#include <re2/re2.h>

#include <unordered_set>

namespace silt::logql::metric {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Go's extract: the group name after `$` in `text` (which starts after the `$`), and how many
// characters it used; 0 when there is none.
size_t ExtractName(std::string_view text, std::string_view* name) {
  if (text.empty()) return 0;
  const bool brace = text[0] == '{';
  size_t i = brace ? 1 : 0;
  const size_t begin = i;
  while (i < text.size() && IsNameChar(text[i])) ++i;
  if (i == begin) return 0;
  *name = text.substr(begin, i - begin);
  if (brace) {
    if (i >= text.size() || text[i] != '}') return 0;
    ++i;
  }
  return i;
}

void AppendGroup(std::string_view name, const std::vector<std::string_view>& groups,
                 const std::vector<std::string>& names, std::string* out) {
  bool numeric = true;
  size_t number = 0;
  for (char c : name) {
    if (c < '0' || c > '9' || number > 100000) {
      numeric = false;
      break;
    }
    number = number * 10 + static_cast<size_t>(c - '0');
  }
  if (numeric) {
    if (number < groups.size()) out->append(groups[number]);
    return;
  }
  for (size_t i = 0; i < names.size() && i < groups.size(); ++i) {
    if (names[i] == name) {
      out->append(groups[i]);
      return;
    }
  }
}

}  // namespace

namespace {

// `labels` after one label_replace: unchanged unless `regex` matches `src`.
labels::LabelSet Replace(const LabelReplace& replace, const RE2& regex,
                         const std::vector<std::string>& names, const labels::LabelSet& labels) {
  const std::string_view src = labels.Get(replace.src).value_or("");
  std::vector<re2::StringPiece> match(names.size());
  if (!regex.Match(src, 0, src.size(), RE2::UNANCHORED, match.data(),
                   static_cast<int>(match.size()))) {
    return labels;
  }
  std::vector<std::string_view> groups;
  for (const re2::StringPiece& m : match) groups.emplace_back(m.data(), m.size());
  labels::LabelSetBuilder builder(labels);
  builder.Set(replace.dst, ExpandTemplate(replace.replacement, groups, names));  // "" removes
  return builder.Build();
}

}  // namespace

std::string ExpandTemplate(std::string_view templ, const std::vector<std::string_view>& groups,
                           const std::vector<std::string>& names) {
  std::string out;
  while (!templ.empty()) {
    const size_t dollar = templ.find('$');
    if (dollar == std::string_view::npos) break;
    out.append(templ.substr(0, dollar));
    templ.remove_prefix(dollar + 1);
    if (!templ.empty() && templ[0] == '$') {
      out.push_back('$');
      templ.remove_prefix(1);
      continue;
    }
    std::string_view name;
    const size_t used = ExtractName(templ, &name);
    if (used == 0) {
      out.push_back('$');  // malformed: the `$` stays as it is
      continue;
    }
    templ.remove_prefix(used);
    AppendGroup(name, groups, names, &out);
  }
  out.append(templ);
  return out;
}

Result<StepValues> ApplyLabelReplace(const LabelReplace& replace, StepValues input) {
  if (input.is_scalar) {
    return Status::InvalidArgument(
        "expected type instant vector in label_replace, got scalar: pass a vector, e.g. "
        "vector(1)");
  }
  RE2::Options options;
  options.set_dot_nl(true);
  options.set_log_errors(false);
  const RE2 regex("^(?:" + replace.regex + ")$", options);
  if (!regex.ok()) {
    return Status::InvalidArgument("invalid regular expression in label_replace(): \"" +
                                   replace.regex + "\": " + regex.error());
  }
  const size_t groups = static_cast<size_t>(regex.NumberOfCapturingGroups()) + 1;
  std::vector<std::string> names(groups);
  for (const auto& [index, name] : regex.CapturingGroupNames()) {
    names[static_cast<size_t>(index)] = name;
  }
  for (Vector& step : input.steps) {
    std::unordered_set<labels::LabelSet> seen;
    for (Sample& sample : step) {
      sample.labels = Replace(replace, regex, names, sample.labels);
      if (!seen.insert(sample.labels).second) {
        return Status::InvalidArgument(
            "vector cannot contain metrics with the same labelset: label_replace gave " +
            sample.labels.ToString() + " twice; choose a replacement that keeps series apart");
      }
    }
  }
  return input;
}

}  // namespace silt::logql::metric
