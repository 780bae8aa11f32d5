// The per-entry label state of a pipeline (labels_builder.h).
#include "aggregator/logql/pipeline/labels_builder.h"

#include <algorithm>
#include <cassert>

#include "shared/hash/xxh3.h"

namespace silt::logql::pipeline {

void LabelsBuilder::Reset(std::span<const labels::LabelView> stream,
                          std::span<const labels::LabelView> metadata) {
  stream_ = stream;
  if (entries_.size() < stream.size()) entries_.resize(stream.size());
  for (size_t i = 0; i < stream.size(); ++i) {
    entries_[i].name.assign(stream[i].name);
    entries_[i].value.assign(stream[i].value);
  }
  size_ = stream.size();
  for (const labels::LabelView& label : metadata) Set(label.name, label.value);
}

void LabelsBuilder::CopyFrom(const LabelsBuilder& other) {
  stream_ = other.stream_;
  if (entries_.size() < other.size_) entries_.resize(other.size_);
  for (size_t i = 0; i < other.size_; ++i) {
    entries_[i].name.assign(other.entries_[i].name);
    entries_[i].value.assign(other.entries_[i].value);
  }
  size_ = other.size_;
}

size_t LabelsBuilder::LowerBound(std::string_view name) const {
  size_t lo = 0;
  size_t hi = size_;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (std::string_view(entries_[mid].name) < name) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::optional<std::string_view> LabelsBuilder::Get(std::string_view name) const {
  size_t i = LowerBound(name);
  if (i < size_ && entries_[i].name == name) return std::string_view(entries_[i].value);
  return std::nullopt;
}

void LabelsBuilder::Set(std::string_view name, std::string_view value) {
  size_t i = LowerBound(name);
  if (i < size_ && entries_[i].name == name) {
    entries_[i].value.assign(value);
    return;
  }
  if (size_ == entries_.size()) entries_.emplace_back();
  // Bring the spare entry at size_ to position i; rotating moves strings without copying.
  std::rotate(entries_.begin() + static_cast<ptrdiff_t>(i),
              entries_.begin() + static_cast<ptrdiff_t>(size_),
              entries_.begin() + static_cast<ptrdiff_t>(size_) + 1);
  entries_[i].name.assign(name);
  entries_[i].value.assign(value);
  ++size_;
}

void LabelsBuilder::Del(std::string_view name) {
  size_t i = LowerBound(name);
  if (i < size_ && entries_[i].name == name) DelAt(i);
}

void LabelsBuilder::DelAt(size_t i) {
  std::rotate(entries_.begin() + static_cast<ptrdiff_t>(i),
              entries_.begin() + static_cast<ptrdiff_t>(i) + 1,
              entries_.begin() + static_cast<ptrdiff_t>(size_));
  --size_;
}

bool LabelsBuilder::StreamHas(std::string_view name) const {
  auto it = std::lower_bound(stream_.begin(), stream_.end(), name,
                             [](const labels::LabelView& l, std::string_view n) { return l.name < n; });
  return it != stream_.end() && it->name == name;
}

void LabelsBuilder::SetExtracted(std::string_view name, std::string_view value) {
  if (!StreamHas(name)) {
    Set(name, value);
    return;
  }
  scratch_name_.assign(name);
  scratch_name_.append(kExtractedSuffix);
  Set(scratch_name_, value);
}

bool LabelsBuilder::HasError() const {
  std::optional<std::string_view> error = Get(kErrorLabel);
  return error.has_value() && !error->empty();
}

void LabelsBuilder::SetError(std::string_view error, std::string_view details) {
  Set(kErrorLabel, error);
  Set(kErrorDetailsLabel, details);
}

uint64_t LabelsBuilder::Hash() const {
  uint64_t h = 0x9e3779b97f4a7c15ULL;
  for (size_t i = 0; i < size_; ++i) {
    const Entry& e = entries_[i];
    if (e.value.empty()) continue;
    // Lengths are mixed in so that ("ab","c") and ("a","bc") differ.
    h = hash::Xxh3WithSeed(e.name.data(), e.name.size(), h + e.name.size());
    h = hash::Xxh3WithSeed(e.value.data(), e.value.size(), h + e.value.size() * 31);
  }
  return h;
}

bool LabelsBuilder::Equals(const labels::LabelSet& set) const {
  auto it = set.begin();
  for (size_t i = 0; i < size_; ++i) {
    const Entry& e = entries_[i];
    if (e.value.empty()) continue;
    if (it == set.end() || it->name != e.name || it->value != e.value) return false;
    ++it;
  }
  return it == set.end();
}

labels::LabelSet LabelsBuilder::Build() const {
  views_.clear();
  for (size_t i = 0; i < size_; ++i) {
    if (!entries_[i].value.empty()) views_.push_back({entries_[i].name, entries_[i].value});
  }
  Result<labels::LabelSet> set = labels::LabelSet::FromSorted(views_);
  assert(set.ok() && "entries are sorted with unique names by construction");
  return set.ok() ? std::move(set).value() : labels::LabelSet();
}

namespace {

bool IsNameByte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the UTF-8 character starting at `s[i]` (1 for an invalid byte, as Go's decoder).
size_t CharLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 1;
  }
  return n;
}

}  // namespace

void SanitizeLabelName(std::string_view key, bool is_prefix, std::string* out) {
  out->clear();
  while (!key.empty() && (key.front() == ' ' || key.front() == '\t')) key.remove_prefix(1);
  while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
  if (key.empty()) return;
  if (is_prefix && key[0] >= '0' && key[0] <= '9') out->push_back('_');
  for (size_t i = 0; i < key.size();) {
    unsigned char c = static_cast<unsigned char>(key[i]);
    if (IsNameByte(c)) {
      out->push_back(static_cast<char>(c));
      ++i;
    } else {
      out->push_back('_');
      i += CharLength(key, i);
    }
  }
}

}  // namespace silt::logql::pipeline
