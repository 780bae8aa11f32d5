#include "aggregator/index/postings.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "aggregator/index/posting_list_ops.h"

namespace silt::index {
namespace {

using labels::LabelSet;
using labels::LabelView;
using labels::Matcher;
using labels::MatchType;

std::string Hex(uint64_t value) {
  char buf[19];
  std::snprintf(buf, sizeof(buf), "0x%016llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string SelectorText(std::span<const Matcher> matchers) {
  std::string text = "{";
  for (size_t i = 0; i < matchers.size(); ++i) {
    if (i > 0) text += ", ";
    text += matchers[i].ToString();
  }
  return text + "}";
}

// True when the pattern `s` matches exactly the bytes `s`: no regex metacharacter and no U+FFFD
// (the Matcher's literal rule, so the shortcuts below agree with it).
bool IsLiteral(std::string_view s) {
  constexpr std::string_view kMeta = R"(\.+*?()|[]{}^$)";
  return s.find_first_of(kMeta) == std::string_view::npos &&
         s.find("\xEF\xBF\xBD") == std::string_view::npos;
}

// The values `pattern` matches when it is a literal or a literal alternation `a|b|c`, sorted.
std::optional<std::vector<std::string>> LiteralAlternatives(std::string_view pattern) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t bar = pattern.find('|', start);
    const std::string_view part = pattern.substr(start, bar - start);
    if (!IsLiteral(part)) return std::nullopt;
    parts.emplace_back(part);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  std::sort(parts.begin(), parts.end());
  parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
  return parts;
}

bool IsRegex(const Matcher& matcher) {
  return matcher.type() == MatchType::kRegexMatch || matcher.type() == MatchType::kRegexNoMatch;
}

// The values whose posting lists decide `matcher` without scanning its label's values: for a
// matcher that does not match "" the values it selects, for one that does the values it
// excludes. nullopt when the values must be scanned.
std::optional<std::vector<std::string>> ExactValues(const Matcher& matcher) {
  std::optional<std::vector<std::string>> values;
  if (IsRegex(matcher)) {
    values = LiteralAlternatives(matcher.value());
  } else {
    values = std::vector<std::string>{matcher.value()};
  }
  // "" in the set flips which side the set describes (e.g. `a=~"x|"`): scan instead.
  if (values && std::binary_search(values->begin(), values->end(), std::string())) return {};
  return values;
}

// The prefix P when `matcher` is a regex `P.*` with P a non-empty literal: the values it selects
// (=~) or excludes (!~) are exactly those starting with P, a range of the sorted values.
std::optional<std::string> RegexPrefix(const Matcher& matcher) {
  const std::string& pattern = matcher.value();
  if (!IsRegex(matcher) || pattern.size() < 3 || !pattern.ends_with(".*")) return std::nullopt;
  std::string prefix = pattern.substr(0, pattern.size() - 2);
  if (!IsLiteral(prefix)) return std::nullopt;
  return prefix;
}

template <typename Map>
typename Map::iterator FindOrInsert(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it;
}

// Sorts `list[old_size..]` by `less` and merges it into the sorted prefix. A single new element
// is rotated into place, which allocates nothing.
template <typename T, typename Less = std::less<>>
void SortTail(std::vector<T>& list, size_t old_size, Less less = {}) {
  const auto mid = list.begin() + static_cast<std::ptrdiff_t>(old_size);
  if (list.end() - mid == 1) {
    std::rotate(std::upper_bound(list.begin(), mid, list.back(), less), mid, list.end());
    return;
  }
  std::sort(mid, list.end(), less);
  if (old_size > 0 && mid != list.end() && less(*mid, *(mid - 1))) {
    std::inplace_merge(list.begin(), mid, list.end(), less);
  }
}

Status Collision(uint64_t fingerprint, const LabelSet& labels, const LabelSet& known) {
  return Status::InvalidArgument("fingerprint " + Hex(fingerprint) + " of " + labels.ToString() +
                                 " is already used by " + known.ToString() +
                                 ": a hash collision or a damaged file; the stream was not "
                                 "indexed");
}

}  // namespace

Status ValidateSelector(std::span<const Matcher> matchers) {
  for (const Matcher& matcher : matchers) {
    if (!matcher.MatchesEmpty()) return Status::Ok();
  }
  return Status::InvalidArgument(
      "selector " + SelectorText(matchers) +
      ": queries require at least one regexp or equality matcher that does not have an "
      "empty-compatible value. For instance, app=~\".*\" does not meet this requirement, but "
      "app=~\".+\" will");
}

// How one matcher is evaluated.
struct Postings::Plan {
  const Matcher* matcher = nullptr;
  const NameEntry* name = nullptr;  // nullptr: no stream has the label
  // True when the matcher does not match "": it selects the streams in `lists`. Otherwise it
  // keeps every stream except those in `lists`.
  bool positive = false;
  std::optional<std::vector<std::string>> exact;  // values to look up instead of scanning
  std::optional<std::string> prefix;              // the range of values to visit
  bool collected = false;
  std::vector<std::span<const uint64_t>> lists;
  size_t total = 0;  // sum of the lists' sizes

  // Values Collect would have to test: 0 when collected or collected by lookups or a range.
  size_t ScanCost() const {
    if (collected || exact || prefix || name == nullptr) return 0;
    return name->values.size();
  }
};

Status Postings::Add(uint64_t fingerprint, const LabelSet& labels) {
  const Stream stream{fingerprint, labels};
  return Add(std::span<const Stream>(&stream, 1));
}

Status Postings::Add(std::span<const Stream> streams) {
  std::unordered_map<uint64_t, const LabelSet*> batch;
  std::vector<const Stream*> fresh;
  for (const Stream& stream : streams) {
    if (stream.labels.empty()) {
      return Status::InvalidArgument("stream " + Hex(stream.fingerprint) +
                                     " has no labels: every stream needs at least one");
    }
    const LabelSet* known = Find(stream.fingerprint);
    if (known == nullptr) {
      auto [it, inserted] = batch.emplace(stream.fingerprint, &stream.labels);
      if (inserted) fresh.push_back(&stream);
      known = it->second;
    }
    if (*known != stream.labels) return Collision(stream.fingerprint, stream.labels, *known);
  }
  Index(fresh);
  return Status::Ok();
}

uint32_t Postings::NewSlot(const LabelSet& labels) {
  if (free_slots_.empty()) {
    labels_.push_back(labels);
    return static_cast<uint32_t>(labels_.size() - 1);
  }
  const uint32_t slot = free_slots_.back();
  free_slots_.pop_back();
  labels_[slot] = labels;
  return slot;
}

// Adds streams known to be new (and valid) to every structure.
void Postings::Index(std::span<const Stream* const> fresh) {
  std::unordered_map<std::vector<uint64_t>*, size_t> touched;  // list -> size before
  std::vector<std::pair<uint64_t, uint32_t>> added;
  for (const Stream* stream : fresh) {
    for (LabelView label : stream->labels) {
      NameEntry& name = FindOrInsert(names_, label.name)->second;
      std::vector<uint64_t>& list = FindOrInsert(name.values, label.value)->second;
      touched.try_emplace(&list, list.size());
      list.push_back(stream->fingerprint);
      ++name.streams;
    }
    added.emplace_back(stream->fingerprint, NewSlot(stream->labels));
  }
  for (auto& [list, list_size] : touched) SortTail(*list, list_size);
  std::sort(added.begin(), added.end());
  // Merge `added` into the parallel arrays from the back, moving each old entry once.
  size_t old_end = all_.size();
  all_.resize(all_.size() + added.size());
  slots_.resize(all_.size());
  for (size_t out = all_.size(); !added.empty(); --out) {
    if (old_end > 0 && all_[old_end - 1] > added.back().first) {
      --old_end;
      all_[out - 1] = all_[old_end];
      slots_[out - 1] = slots_[old_end];
    } else {
      std::tie(all_[out - 1], slots_[out - 1]) = added.back();
      added.pop_back();
    }
  }
}

size_t Postings::Remove(std::span<const uint64_t> fingerprints) {
  std::vector<uint64_t> removed;
  for (uint64_t fingerprint : fingerprints) {
    if (Find(fingerprint) != nullptr) removed.push_back(fingerprint);
  }
  std::sort(removed.begin(), removed.end());
  removed.erase(std::unique(removed.begin(), removed.end()), removed.end());
  if (removed.empty()) return 0;
  auto is_removed = [&removed](uint64_t f) { return PostingsContain(removed, f); };
  std::set<std::pair<std::string_view, std::string_view>> touched;  // views into labels_
  for (uint64_t fingerprint : removed) {
    for (LabelView label : *Find(fingerprint)) touched.emplace(label.name, label.value);
  }
  for (const auto& [name, value] : touched) {
    auto name_it = names_.find(name);
    auto value_it = name_it->second.values.find(value);
    const size_t before = value_it->second.size();
    std::erase_if(value_it->second, is_removed);
    name_it->second.streams -= before - value_it->second.size();
    if (value_it->second.empty()) name_it->second.values.erase(value_it);
    if (name_it->second.values.empty()) names_.erase(name_it);
  }
  touched.clear();  // its views die with the labels below
  size_t kept = 0;
  for (size_t i = 0; i < all_.size(); ++i) {
    if (is_removed(all_[i])) {
      labels_[slots_[i]] = LabelSet();
      free_slots_.push_back(slots_[i]);
      continue;
    }
    all_[kept] = all_[i];
    slots_[kept++] = slots_[i];
  }
  all_.resize(kept);
  slots_.resize(kept);
  return removed.size();
}

namespace {

// Checks the order and shape FromLists requires; returns the number of labels of the streams.
Result<size_t> CheckPersistedOrder(std::span<const Postings::Stream> streams,
                                   std::span<const Postings::List> lists) {
  size_t labels_total = 0;
  for (size_t i = 0; i < streams.size(); ++i) {
    if (streams[i].labels.empty() ||
        (i > 0 && streams[i].fingerprint <= streams[i - 1].fingerprint)) {
      return Status::InvalidArgument("stream " + std::to_string(i) +
                                     " has no labels or is out of fingerprint order");
    }
    labels_total += streams[i].labels.size();
  }
  for (size_t i = 0; i < lists.size(); ++i) {
    const Postings::List& list = lists[i];
    if (list.value.empty() || list.fingerprints.empty() ||
        (i > 0 &&
         std::tie(lists[i - 1].name, lists[i - 1].value) >= std::tie(list.name, list.value))) {
      return Status::InvalidArgument("posting list " + std::to_string(i) + " (" + list.name +
                                     ") is empty or out of (name, value) order");
    }
  }
  return labels_total;
}

}  // namespace

Result<Postings> Postings::FromLists(std::vector<Stream> streams, std::vector<List> lists) {
  SILT_ASSIGN_OR_RETURN(const size_t labels_total, CheckPersistedOrder(streams, lists));
  Postings postings;
  postings.all_.reserve(streams.size());
  postings.labels_.reserve(streams.size());
  for (Stream& stream : streams) {
    postings.all_.push_back(stream.fingerprint);
    postings.slots_.push_back(static_cast<uint32_t>(postings.labels_.size()));
    postings.labels_.push_back(std::move(stream.labels));
  }
  size_t postings_total = 0;
  for (size_t i = 0; i < lists.size(); ++i) {
    const List& list = lists[i];
    for (size_t j = 0; j < list.fingerprints.size(); ++j) {
      const LabelSet* labels = postings.Find(list.fingerprints[j]);
      if (labels == nullptr || (j > 0 && list.fingerprints[j] <= list.fingerprints[j - 1]) ||
          labels->Get(list.name) != std::string_view(list.value)) {
        return Status::InvalidArgument("posting list " + std::to_string(i) + " (" + list.name +
                                       ") entry " + std::to_string(j) +
                                       " names a stream without that label value");
      }
    }
    postings_total += list.fingerprints.size();
  }
  if (postings_total != labels_total) {
    return Status::InvalidArgument("posting lists hold " + std::to_string(postings_total) +
                                   " entries but the streams have " + std::to_string(labels_total) +
                                   " labels");
  }
  for (List& list : lists) {
    auto name = postings.names_.emplace_hint(postings.names_.end(), list.name, NameEntry{});
    name->second.streams += list.fingerprints.size();
    name->second.values.emplace_hint(name->second.values.end(), std::move(list.value),
                                     std::move(list.fingerprints));
  }
  return postings;
}

const Postings::NameEntry* Postings::FindName(std::string_view name) const {
  auto it = names_.find(name);
  return it == names_.end() ? nullptr : &it->second;
}

Postings::Plan Postings::MakePlan(const Matcher& matcher) const {
  Plan plan;
  plan.matcher = &matcher;
  plan.name = FindName(matcher.name());
  plan.positive = !matcher.MatchesEmpty();
  plan.exact = ExactValues(matcher);
  if (!plan.exact) plan.prefix = RegexPrefix(matcher);
  return plan;
}

// Fills plan.lists: the posting lists of the values the matcher selects (positive) or excludes.
void Postings::Collect(Plan& plan) const {
  if (plan.collected) return;
  plan.collected = true;
  if (plan.name == nullptr) return;
  const ValueMap& values = plan.name->values;
  auto take = [&plan](std::string_view value, const std::vector<uint64_t>& list) {
    if (plan.matcher->Matches(value) != plan.positive) return;
    plan.lists.emplace_back(list);
    plan.total += list.size();
  };
  if (plan.exact) {
    for (const std::string& value : *plan.exact) {
      auto it = values.find(value);
      if (it != values.end()) take(it->first, it->second);
    }
  } else if (plan.prefix) {
    for (auto it = values.lower_bound(*plan.prefix);
         it != values.end() && it->first.starts_with(*plan.prefix); ++it) {
      take(it->first, it->second);
    }
  } else {
    for (const auto& [value, list] : values) take(value, list);
  }
}

// The first candidates: the positive plan with the fewest streams once looked up (every plan
// that needs no scan is collected here), else the positive scan over the fewest values. Removes
// that plan from `plans`.
std::vector<uint64_t> Postings::Seed(std::vector<Plan>& plans) const {
  for (Plan& plan : plans) {
    if (plan.ScanCost() == 0) Collect(plan);
  }
  auto rank = [](const Plan& plan) {
    return std::make_tuple(!plan.positive, !plan.collected,
                           plan.collected ? plan.total : plan.ScanCost());
  };
  auto seed = std::min_element(plans.begin(), plans.end(),
                               [&](const Plan& a, const Plan& b) { return rank(a) < rank(b); });
  Collect(*seed);
  std::vector<uint64_t> candidates =
      seed->lists.size() == 1
          ? std::vector<uint64_t>(seed->lists.front().begin(), seed->lists.front().end())
          : UnionPostings(seed->lists);
  plans.erase(seed);
  return candidates;
}

// Restricts `candidates` by a collected plan. The lists of one label's values are disjoint, so
// the candidates found in each are disjoint too.
std::vector<uint64_t> Postings::Apply(const Plan& plan, std::vector<uint64_t> candidates) const {
  if (plan.lists.size() == 1) {
    return plan.positive ? IntersectPostings(candidates, plan.lists.front())
                         : SubtractPostings(candidates, plan.lists.front());
  }
  std::vector<uint64_t> hits;
  for (std::span<const uint64_t> list : plan.lists) AppendIntersection(candidates, list, &hits);
  std::sort(hits.begin(), hits.end());
  return plan.positive ? hits : SubtractPostings(candidates, hits);
}

// Keeps the candidates (sorted) whose own label value satisfies `matcher` (absent labels as "").
std::vector<uint64_t> Postings::FilterByLabels(const Matcher& matcher,
                                               std::vector<uint64_t> candidates) const {
  auto it = all_.begin();
  std::erase_if(candidates, [&](uint64_t fingerprint) {
    it = std::lower_bound(it, all_.end(), fingerprint);
    const LabelSet& labels = labels_[slots_[static_cast<size_t>(it - all_.begin())]];
    return !matcher.Matches(labels.Get(matcher.name()).value_or(std::string_view()));
  });
  return candidates;
}

Result<std::vector<uint64_t>> Postings::Select(std::span<const Matcher> matchers) const {
  SILT_RETURN_IF_ERROR(ValidateSelector(matchers));
  std::vector<Plan> plans;
  for (const Matcher& matcher : matchers) {
    Plan plan = MakePlan(matcher);
    if (plan.name == nullptr) {
      // No stream has the label: all of them read it as "".
      if (plan.positive) return std::vector<uint64_t>();
      continue;
    }
    plans.push_back(std::move(plan));
  }
  std::vector<uint64_t> candidates = Seed(plans);
  // The rest, cheapest first: collected plans by size, then scans by the values they would test.
  std::sort(plans.begin(), plans.end(), [](const Plan& a, const Plan& b) {
    return std::make_pair(a.ScanCost(), a.total) < std::make_pair(b.ScanCost(), b.total);
  });
  for (Plan& plan : plans) {
    if (candidates.empty()) break;
    // Testing each candidate's own label beats testing more values of the label.
    if (candidates.size() <= plan.ScanCost()) {
      candidates = FilterByLabels(*plan.matcher, std::move(candidates));
      continue;
    }
    Collect(plan);
    candidates = Apply(plan, std::move(candidates));
  }
  return candidates;
}

std::vector<std::string> Postings::LabelNames() const {
  std::vector<std::string> names;
  names.reserve(names_.size());
  for (const auto& [name, entry] : names_) names.push_back(name);
  return names;
}

std::vector<std::string> Postings::LabelValues(std::string_view name) const {
  std::vector<std::string> values;
  const NameEntry* entry = FindName(name);
  if (entry == nullptr) return values;
  values.reserve(entry->values.size());
  for (const auto& [value, list] : entry->values) values.push_back(value);
  return values;
}

std::span<const uint64_t> Postings::PostingList(std::string_view name,
                                                std::string_view value) const {
  const NameEntry* entry = FindName(name);
  if (entry == nullptr) return {};
  auto it = entry->values.find(value);
  if (it == entry->values.end()) return {};
  return it->second;
}

void Postings::ForEachList(const std::function<void(std::string_view, std::string_view,
                                                    std::span<const uint64_t>)>& visit) const {
  for (const auto& [name, entry] : names_) {
    for (const auto& [value, list] : entry.values) visit(name, value, list);
  }
}

const LabelSet* Postings::Find(uint64_t fingerprint) const {
  auto it = std::lower_bound(all_.begin(), all_.end(), fingerprint);
  if (it == all_.end() || *it != fingerprint) return nullptr;
  return &labels_[slots_[static_cast<size_t>(it - all_.begin())]];
}

bool operator==(const Postings& a, const Postings& b) {
  if (a.all_ != b.all_ || a.names_ != b.names_) return false;
  for (size_t i = 0; i < a.all_.size(); ++i) {
    if (a.labels_[a.slots_[i]] != b.labels_[b.slots_[i]]) return false;
  }
  return true;
}

}  // namespace silt::index
