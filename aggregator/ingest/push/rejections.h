// Rejections: what a push refused and why, gathered while decoding, validating and storing one
// request. Counts are kept per reason (Loki's `reason` label names, kReason* below) for
// silt_discarded_samples_total / silt_discarded_bytes_total, and the first kMaxMessages messages
// are kept verbatim for the 400 answer; later ones are only counted, so a request with a million
// bad entries costs no more memory than one with ten.
// Thread-safety: a value used by one thread at a time.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace silt::ingest {

// Loki's discard reasons (pkg/validation/validate.go) and Silt's own for malformed input.
inline constexpr std::string_view kReasonInvalidLabels = "invalid_labels";
inline constexpr std::string_view kReasonMissingLabels = "missing_labels";
inline constexpr std::string_view kReasonDuplicateLabelNames = "duplicate_label_names";
inline constexpr std::string_view kReasonLabelNameTooLong = "label_name_too_long";
inline constexpr std::string_view kReasonLabelValueTooLong = "label_value_too_long";
inline constexpr std::string_view kReasonTooManyLabels = "max_label_names_per_series";
inline constexpr std::string_view kReasonLineTooLong = "line_too_long";
inline constexpr std::string_view kReasonTooOld = "greater_than_max_sample_age";
inline constexpr std::string_view kReasonTooNew = "too_far_in_future";
inline constexpr std::string_view kReasonTooFarBehind = "too_far_behind";  // engine: head window
// Silt: an entry whose JSON or protobuf shape is wrong (missing line, bad timestamp...).
inline constexpr std::string_view kReasonInvalidEntry = "invalid_entry";
inline constexpr std::string_view kReasonInvalidMetadata = "invalid_structured_metadata";

class Rejections {
 public:
  static constexpr size_t kMaxMessages = 10;

  struct ReasonCount {
    std::string_view reason;  // one of the kReason* constants (static storage)
    size_t entries = 0;
    size_t bytes = 0;
  };

  // True while a new message would still be kept; callers skip building messages otherwise.
  bool WantsMessage() const { return messages_.size() < kMaxMessages; }
  // Records `entries` refused entries (`bytes` of lines) for `reason` (static storage) with
  // `message` (kept while WantsMessage()). `entries` may be 0 for a problem of the body itself
  // (a syntax error), which makes the request fail without counting samples.
  void Add(std::string_view reason, size_t entries, size_t bytes, std::string message);
  // Counts `entries` refused entries for `reason` without a message or a problem of their own
  // (entries lost to a problem already recorded, such as a syntax error inside their stream).
  void Count(std::string_view reason, size_t entries, size_t bytes);
  // As Add for a body-level problem (no entries known), e.g. a JSON syntax error.
  void AddProblem(std::string message);

  bool empty() const { return problems_ == 0; }
  // How many AddProblem calls there were (problems not tied to counted entries).
  size_t body_problems() const { return body_problems_; }
  size_t entries() const { return entries_; }
  size_t problems() const { return problems_; }
  const std::vector<std::string>& messages() const { return messages_; }
  const std::vector<ReasonCount>& by_reason() const { return by_reason_; }

  // The body of the 400 answer: the kept messages, one per line, then "N of M entries rejected"
  // (and how many further problems were not listed). `total_entries` counts every entry seen.
  std::string Summary(size_t total_entries) const;

 private:
  std::vector<std::string> messages_;
  std::vector<ReasonCount> by_reason_;
  size_t entries_ = 0;
  size_t problems_ = 0;
  size_t body_problems_ = 0;
};

}  // namespace silt::ingest
