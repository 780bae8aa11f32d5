#include "shared/labels/validation.h"

#include <string>

#include "shared/labels/string_literal.h"
#include "shared/labels/utf8.h"

namespace silt::labels {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

bool Exceeds(size_t value, size_t limit) { return limit != 0 && value > limit; }

std::string LengthNote(size_t length, size_t limit) {
  return " (" + std::to_string(length) + " bytes, limit " + std::to_string(limit) + ")";
}

Status ValidateLabel(const std::string& stream, const LabelView& label,
                     const ValidationLimits& limits) {
  const std::string prefix = "stream '" + stream + "' has ";
  if (!IsValidLabelName(label.name)) {
    return Status::InvalidArgument(prefix + "invalid label name: " + Quote(label.name) +
                                   "; names must match [a-zA-Z_][a-zA-Z0-9_]*");
  }
  if (!limits.allow_reserved && label.name.starts_with(kReservedPrefix)) {
    return Status::InvalidArgument(prefix + "reserved label name: '" + std::string(label.name) +
                                   "'; names starting with \"__\" are for Silt's own use, "
                                   "rename the label");
  }
  if (Exceeds(label.name.size(), limits.max_name_length)) {
    return Status::InvalidArgument(prefix + "label name too long: '" + std::string(label.name) +
                                   "'" + LengthNote(label.name.size(), limits.max_name_length));
  }
  if (Exceeds(label.value.size(), limits.max_value_length)) {
    return Status::InvalidArgument(prefix + "label value too long: '" +
                                   std::string(label.value) + "'" +
                                   LengthNote(label.value.size(), limits.max_value_length) +
                                   " for label '" + std::string(label.name) + "'");
  }
  if (!IsValidUtf8(label.value)) {
    return Status::InvalidArgument(prefix + "label value that is not valid UTF-8 for label '" +
                                   std::string(label.name) + "'; send values as UTF-8 text");
  }
  return Status::Ok();
}

}  // namespace

bool IsValidLabelName(std::string_view name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

Status ValidateLabelName(std::string_view name, bool allow_reserved) {
  if (!IsValidLabelName(name)) {
    return Status::InvalidArgument("invalid label name " + Quote(name) +
                                   ": names must match [a-zA-Z_][a-zA-Z0-9_]*");
  }
  if (!allow_reserved && name.starts_with(kReservedPrefix)) {
    return Status::InvalidArgument("label name " + Quote(name) +
                                   " is reserved: names starting with \"__\" are for Silt's own "
                                   "use, rename the label");
  }
  return Status::Ok();
}

Status ValidateLabelSet(const LabelSet& labels, const ValidationLimits& limits) {
  if (labels.empty()) {
    return Status::InvalidArgument(
        "stream '{}' has no labels; at least one label pair is required per stream");
  }
  const std::string stream = labels.ToString();
  if (Exceeds(labels.size(), limits.max_labels)) {
    return Status::InvalidArgument("entry for stream '" + stream + "' has " +
                                   std::to_string(labels.size()) + " label names; limit " +
                                   std::to_string(limits.max_labels));
  }
  for (const LabelView label : labels) {
    SILT_RETURN_IF_ERROR(ValidateLabel(stream, label, limits));
  }
  return Status::Ok();
}

}  // namespace silt::labels
