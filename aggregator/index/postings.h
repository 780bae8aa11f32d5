// Postings: the in-memory inverted index of a set of streams: label name -> value -> the sorted
// fingerprints of the streams with that label (a posting list), and fingerprint -> labels. It
// answers stream selectors with Prometheus/Loki semantics:
//   - all matchers must hold (AND);
//   - a stream without label `a` matches as if `a` were "", so `a=""`, `a!="x"` and regexes that
//     match "" also select streams lacking `a`;
//   - at least one matcher must not match "" (otherwise every stream of the tenant would be a
//     candidate): InvalidArgument, as Loki refuses such queries.
// Select plans like a database: equality and literal alternations (`=~"a|b"`) are lookups,
// prefix regexes (`=~"api-.*"`) visit only the values with that prefix, posting lists are
// intersected smallest first, and a matcher that would scan many values of its label is checked
// against the few remaining candidates' labels instead. Regexes never scan values of other labels.
//
// Used for chunk data (PartitionIndex) and usable for the head.
// Thread-safety: const methods may run concurrently; Add and Remove need exclusive access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/labels/label_set.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"

namespace silt::index {

// OK when `matchers` may select streams from an index: not empty, and at least one matcher does
// not match "". Otherwise InvalidArgument quoting the selector, with Loki's advice
// (`app=~".*"` does not meet the requirement, `app=~".+"` does).
Status ValidateSelector(std::span<const labels::Matcher> matchers);

class Postings {
 public:
  struct Stream {
    uint64_t fingerprint = 0;  // labels.Fingerprint(), or any unique id the caller uses
    labels::LabelSet labels;
    friend bool operator==(const Stream&, const Stream&) = default;
  };
  // One persisted posting list (see FromLists).
  struct List {
    std::string name;
    std::string value;
    std::vector<uint64_t> fingerprints;  // strictly increasing
  };

  Postings() = default;

  // Adds the streams not yet present (a fingerprint already present with equal labels is left
  // alone). Cost: O(k log k) for k new streams plus a merge into each touched posting list and
  // the stream arrays (linear in their size), so add many streams at once rather than one by one.
  // InvalidArgument, changing nothing, when a fingerprint is already present (or given twice) with
  // different labels, or labels are empty.
  Status Add(std::span<const Stream> streams);
  Status Add(uint64_t fingerprint, const labels::LabelSet& labels);
  // Removes the given streams; unknown fingerprints are ignored. Returns how many were removed.
  size_t Remove(std::span<const uint64_t> fingerprints);

  // Builds postings from persisted parts, checking that they describe the same thing: `streams`
  // strictly increasing by fingerprint, `lists` strictly increasing by (name, value) with
  // non-empty values and posting lists, and every label of every stream in exactly the one list
  // of its name and value. InvalidArgument saying what disagrees otherwise.
  static Result<Postings> FromLists(std::vector<Stream> streams, std::vector<List> lists);

  // Fingerprints of the streams matching every matcher, strictly increasing. InvalidArgument as
  // ValidateSelector.
  Result<std::vector<uint64_t>> Select(std::span<const labels::Matcher> matchers) const;

  // Every label name (sorted, unique).
  std::vector<std::string> LabelNames() const;
  // Every value of `name` (sorted, unique); empty for an unknown name.
  std::vector<std::string> LabelValues(std::string_view name) const;
  // The posting list of `name`=`value`; empty when there is none. Valid until the next Add/Remove.
  std::span<const uint64_t> PostingList(std::string_view name, std::string_view value) const;
  // Calls `visit` for every posting list in (name, value) order.
  void ForEachList(const std::function<void(std::string_view name, std::string_view value,
                                            std::span<const uint64_t> fingerprints)>& visit) const;

  // The labels of a stream, or nullptr. Valid until the next Add/Remove.
  const labels::LabelSet* Find(uint64_t fingerprint) const;
  // Every fingerprint, strictly increasing.
  std::span<const uint64_t> fingerprints() const { return all_; }
  size_t size() const { return all_.size(); }
  bool empty() const { return all_.empty(); }

  friend bool operator==(const Postings& a, const Postings& b);

 private:
  using ValueMap = std::map<std::string, std::vector<uint64_t>, std::less<>>;
  struct NameEntry {
    ValueMap values;
    size_t streams = 0;  // streams having the label: the sum of the lists' sizes
    friend bool operator==(const NameEntry&, const NameEntry&) = default;
  };
  using NameMap = std::map<std::string, NameEntry, std::less<>>;
  struct Plan;

  const NameEntry* FindName(std::string_view name) const;
  Plan MakePlan(const labels::Matcher& matcher) const;
  void Collect(Plan& plan) const;
  std::vector<uint64_t> Seed(std::vector<Plan>& plans) const;
  std::vector<uint64_t> Apply(const Plan& plan, std::vector<uint64_t> candidates) const;
  std::vector<uint64_t> FilterByLabels(const labels::Matcher& matcher,
                                       std::vector<uint64_t> candidates) const;
  void Index(std::span<const Stream* const> fresh);
  uint32_t NewSlot(const labels::LabelSet& labels);

  NameMap names_;
  // Every fingerprint, sorted, and in the parallel array the slot of its labels in labels_.
  // Keeping the labels out of the sorted arrays makes inserting into them a plain memmove.
  std::vector<uint64_t> all_;
  std::vector<uint32_t> slots_;
  std::vector<labels::LabelSet> labels_;  // by slot; empty in free slots
  std::vector<uint32_t> free_slots_;
};

}  // namespace silt::index
