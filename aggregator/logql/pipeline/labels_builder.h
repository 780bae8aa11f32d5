// LabelsBuilder: the labels of one entry while it moves through a pipeline, as Loki's
// LabelsBuilder: the stream's labels, then the entry's structured metadata, then labels that
// stages extract, rename or drop. Kept as a sorted vector whose strings are reused from entry to
// entry, so steady-state processing does not allocate. An empty value is kept (a label filter
// sees it as present) but leaves the label out of the output LabelSet.
//
// Thread-safety: not thread-safe; one builder per StreamPipeline.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "shared/labels/label_set.h"

namespace silt::logql::pipeline {

inline constexpr std::string_view kErrorLabel = "__error__";
inline constexpr std::string_view kErrorDetailsLabel = "__error_details__";
// Appended to an extracted label whose name is already a stream label.
inline constexpr std::string_view kExtractedSuffix = "_extracted";

// Loki's `__error__` values.
inline constexpr std::string_view kJsonParserErr = "JSONParserErr";
inline constexpr std::string_view kLogfmtParserErr = "LogfmtParserErr";
inline constexpr std::string_view kLabelFilterErr = "LabelFilterErr";
inline constexpr std::string_view kTemplateFormatErr = "TemplateFormatErr";

class LabelsBuilder {
 public:
  // Starts a new entry: the stream's labels (sorted, unique; views must outlive the entry) and
  // the entry's metadata (any order; a metadata name equal to a stream label overrides it).
  void Reset(std::span<const labels::LabelView> stream, std::span<const labels::LabelView> metadata);

  // Makes this builder a copy of `other` (reusing this builder's strings).
  void CopyFrom(const LabelsBuilder& other);

  // The value of `name`, or nullopt when absent. Valid until the next non-const call.
  std::optional<std::string_view> Get(std::string_view name) const;
  // Sets `name` (an empty value keeps the label present but out of the output).
  void Set(std::string_view name, std::string_view value);
  void Del(std::string_view name);
  // Removes the label at index `i` (< size()); later indexes shift down by one.
  void DelAt(size_t i);
  // Sets a label a parser extracted: `name` gets kExtractedSuffix when it is a stream label.
  void SetExtracted(std::string_view name, std::string_view value);
  // True when `name` is one of the stream's labels (Loki's BaseHas).
  bool StreamHas(std::string_view name) const;

  // `__error__` is set and not empty.
  bool HasError() const;
  void SetError(std::string_view error, std::string_view details);

  size_t size() const { return size_; }
  std::string_view name(size_t i) const { return entries_[i].name; }
  std::string_view value(size_t i) const { return entries_[i].value; }

  // A hash of the labels with non-empty values (what Build() would hold).
  uint64_t Hash() const;
  // True when `set` holds exactly the labels with non-empty values.
  bool Equals(const labels::LabelSet& set) const;
  // The labels with non-empty values as a LabelSet.
  labels::LabelSet Build() const;

 private:
  struct Entry {
    std::string name;
    std::string value;
  };
  // Index of the first entry whose name is >= `name`.
  size_t LowerBound(std::string_view name) const;

  std::span<const labels::LabelView> stream_;
  std::vector<Entry> entries_;  // [0, size_) in use, sorted by name; the rest are spare strings
  size_t size_ = 0;
  std::string scratch_name_;
  mutable std::vector<labels::LabelView> views_;
};

// Loki's label-name sanitizing for extracted keys: every character that is not [A-Za-z0-9_]
// becomes '_' (one '_' per UTF-8 character), and with `is_prefix` a leading digit gets a '_'
// before it. Surrounding spaces are trimmed. Writes into `out` (cleared first).
void SanitizeLabelName(std::string_view key, bool is_prefix, std::string* out);

}  // namespace silt::logql::pipeline
