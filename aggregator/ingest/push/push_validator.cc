#include "aggregator/ingest/push/push_validator.h"

#include <string>
#include <string_view>

#include "shared/time/timestamp.h"

namespace silt::ingest {
namespace {

// Loki's reason for the first problem ValidateLabelSet reports.
std::string_view LabelReason(const labels::LabelSet& set, const labels::ValidationLimits& limits) {
  if (set.empty()) return kReasonMissingLabels;
  if (limits.max_labels != 0 && set.size() > limits.max_labels) return kReasonTooManyLabels;
  for (labels::LabelView label : set) {
    if (!labels::IsValidLabelName(label.name) || label.name.starts_with("__")) {
      return kReasonInvalidLabels;
    }
    if (limits.max_name_length != 0 && label.name.size() > limits.max_name_length) {
      return kReasonLabelNameTooLong;
    }
    if (limits.max_value_length != 0 && label.value.size() > limits.max_value_length) {
      return kReasonLabelValueTooLong;
    }
  }
  return kReasonInvalidLabels;
}

// Records a stream-wide refusal of every entry of `stream`.
void RefuseStream(const DecodedStream& stream, std::string_view reason, std::string message,
                  Rejections* rejections) {
  size_t bytes = 0;
  for (const DecodedEntry& entry : stream.entries) bytes += entry.line.size();
  rejections->Add(reason, stream.entries.size(), bytes, std::move(message));
}

class EntryChecker {
 public:
  EntryChecker(const PushLimits& limits, int64_t now) : limits_(limits) {
    oldest_ = limits.reject_old_samples_max_age_ns == 0 || now < INT64_MIN / 2
                  ? INT64_MIN
                  : now - limits.reject_old_samples_max_age_ns;
    newest_ = now > INT64_MAX - limits.creation_grace_period_ns
                  ? INT64_MAX
                  : now + limits.creation_grace_period_ns;
  }

  // True when `entry` passes; otherwise records why in `decoded->rejections`.
  bool Check(const DecodedEntry& entry, const std::string& stream, DecodedPush* decoded) const {
    Rejections& out = decoded->rejections;
    const size_t size = entry.line.size();
    if (limits_.max_line_size != 0 && size > limits_.max_line_size) {
      out.Add(kReasonLineTooLong, 1, size,
              out.WantsMessage()
                  ? "Max entry size '" + std::to_string(limits_.max_line_size) +
                        "' bytes exceeded for stream '" + stream +
                        "' while adding an entry with length '" + std::to_string(size) + "' bytes"
                  : std::string());
      return false;
    }
    if (entry.timestamp < oldest_) {
      out.Add(kReasonTooOld, 1, size,
              out.WantsMessage()
                  ? "entry for stream '" + stream +
                        "' has timestamp too old: " + time::FormatRfc3339Nano(entry.timestamp) +
                        ", oldest acceptable timestamp is: " + time::FormatRfc3339Nano(oldest_)
                  : std::string());
      return false;
    }
    if (entry.timestamp > newest_) {
      out.Add(kReasonTooNew, 1, size,
              out.WantsMessage() ? "entry for stream '" + stream + "' has timestamp too new: " +
                                       time::FormatRfc3339Nano(entry.timestamp)
                                 : std::string());
      return false;
    }
    for (const labels::LabelView& pair : decoded->MetadataOf(entry)) {
      Status name = labels::ValidateLabelName(pair.name, /*allow_reserved=*/false);
      if (!name.ok()) {
        out.Add(kReasonInvalidMetadata, 1, size,
                out.WantsMessage()
                    ? "entry for stream '" + stream +
                          "' has invalid structured metadata: " + std::string(name.message())
                    : std::string());
        return false;
      }
    }
    return true;
  }

 private:
  const PushLimits& limits_;
  int64_t oldest_;
  int64_t newest_;
};

}  // namespace

size_t ValidatePush(const PushLimits& limits, int64_t now, DecodedPush* decoded,
                    engine::PushRequest* out) {
  const EntryChecker checker(limits, now);
  size_t bytes = 0;
  for (const DecodedStream& stream : decoded->streams) {
    if (stream.refused || stream.entries.empty()) continue;
    Status valid = labels::ValidateLabelSet(stream.labels, limits.labels);
    if (!valid.ok()) {
      std::string message(valid.message());
      if (stream.labels.empty()) {
        message = stream.where + ": error at least one label pair is required per stream";
      }
      RefuseStream(stream, LabelReason(stream.labels, limits.labels), std::move(message),
                   &decoded->rejections);
      continue;
    }
    const std::string text = stream.labels.ToString();
    engine::PushStream pushed{stream.labels, {}};
    pushed.entries.reserve(stream.entries.size());
    for (const DecodedEntry& entry : stream.entries) {
      if (!checker.Check(entry, text, decoded)) continue;
      pushed.entries.push_back({entry.timestamp, entry.line, decoded->MetadataOf(entry)});
      bytes += entry.line.size();
    }
    if (!pushed.entries.empty()) out->streams.push_back(std::move(pushed));
  }
  return bytes;
}

}  // namespace silt::ingest
