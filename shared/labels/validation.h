// Rules for label names and label sets that users send (agent config, push API, relabeling),
// with Loki's defaults and Loki-style messages that name the stream and the offending label.
// LabelSet itself accepts any bytes; validation happens at the ingest boundary.
// Stateless functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "shared/labels/label_set.h"
#include "shared/status/status.h"

namespace silt::labels {

// Prefix of names reserved for Silt's own labels.
inline constexpr std::string_view kReservedPrefix = "__";

// Per-tenant limits; the defaults are Loki's (limits_config: max_label_name_length,
// max_label_value_length, max_label_names_per_series). Lengths are in bytes. 0 means no limit.
struct ValidationLimits {
  size_t max_name_length = 1024;
  size_t max_value_length = 2048;
  size_t max_labels = 15;
  // Whether names starting with "__" are accepted (true only for Silt's own, internal labels).
  bool allow_reserved = false;
};

// True when `name` matches [a-zA-Z_][a-zA-Z0-9_]* (reserved names included).
bool IsValidLabelName(std::string_view name);

// OK when `name` matches [a-zA-Z_][a-zA-Z0-9_]* and, unless `allow_reserved`, does not start with
// "__". Otherwise InvalidArgument quoting the name and saying which rule it breaks.
Status ValidateLabelName(std::string_view name, bool allow_reserved);

// OK when `labels` has at least one and at most `limits.max_labels` labels, every name passes
// ValidateLabelName and `limits.max_name_length`, and every value is valid UTF-8 within
// `limits.max_value_length`. Otherwise InvalidArgument for the first problem, naming the stream
// (its canonical text) and the offending label, e.g.
// "stream '{job=\"api\"}' has label name too long: '...' (1100 bytes, limit 1024)".
Status ValidateLabelSet(const LabelSet& labels, const ValidationLimits& limits);

}  // namespace silt::labels
