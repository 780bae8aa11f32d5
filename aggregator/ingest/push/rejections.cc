#include "aggregator/ingest/push/rejections.h"

#include <utility>

namespace silt::ingest {

void Rejections::Add(std::string_view reason, size_t entries, size_t bytes, std::string message) {
  ++problems_;
  if (WantsMessage()) messages_.push_back(std::move(message));
  Count(reason, entries, bytes);
}

void Rejections::Count(std::string_view reason, size_t entries, size_t bytes) {
  entries_ += entries;
  if (entries == 0) return;
  for (ReasonCount& count : by_reason_) {
    if (count.reason == reason) {
      count.entries += entries;
      count.bytes += bytes;
      return;
    }
  }
  by_reason_.push_back({reason, entries, bytes});
}

void Rejections::AddProblem(std::string message) {
  ++body_problems_;
  Add(kReasonInvalidEntry, 0, 0, std::move(message));
}

std::string Rejections::Summary(size_t total_entries) const {
  std::string out;
  for (const std::string& message : messages_) {
    out += message;
    out += '\n';
  }
  out += std::to_string(entries_) + " of " + std::to_string(total_entries) + " entries rejected";
  if (problems_ > messages_.size()) {
    out += " (" + std::to_string(problems_ - messages_.size()) + " more problems not listed)";
  }
  return out;
}

}  // namespace silt::ingest
