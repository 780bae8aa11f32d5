#include "tests/bench/loggen/output_encoder.h"

#include <algorithm>
#include <cassert>
#include <string>

namespace silt::loggen {

std::string_view OutputModeName(OutputMode mode) {
  switch (mode) {
    case OutputMode::kPlain:
      return "plain";
    case OutputMode::kJsonl:
      return "jsonl";
    case OutputMode::kLokiPush:
      return "loki-push";
  }
  return "plain";
}

Result<OutputMode> ParseOutputMode(std::string_view text) {
  for (OutputMode mode : {OutputMode::kPlain, OutputMode::kJsonl, OutputMode::kLokiPush}) {
    if (text == OutputModeName(mode)) return mode;
  }
  return Status::InvalidArgument("unknown output mode \"" + std::string(text) +
                                 "\": use plain, jsonl or loki-push");
}

void AppendPlain(const Entry& entry, TextBuffer* out) {
  out->Append(entry.line);
  out->Append('\n');
}

void AppendJsonl(const Entry& entry, TimestampText* times, TextBuffer* out) {
  out->Append("{\"ts\":\"");
  times->AppendRfc3339Nano(entry.timestamp_ns, out);
  out->Append("\",\"labels\":");
  out->Append(entry.stream->labels_json);
  out->Append(",\"line\":\"");
  out->AppendJsonEscaped(entry.line);
  out->Append("\"}\n");
}

LokiPushBatcher::LokiPushBatcher(size_t batch_size) : batch_size_(batch_size), lines_(1 << 16) {
  assert(batch_size > 0);
  items_.reserve(std::min<size_t>(batch_size, 1 << 16));
}

void LokiPushBatcher::Add(const Entry& entry) {
  items_.push_back(Item{entry.timestamp_ns, entry.stream, lines_.size(), entry.line.size()});
  lines_.Append(entry.line);
}

void LokiPushBatcher::AppendBody(TextBuffer* out) {
  if (items_.empty()) return;
  std::stable_sort(items_.begin(), items_.end(),
                   [](const Item& a, const Item& b) { return a.stream->index < b.stream->index; });
  out->Append("{\"streams\":[");
  const Stream* current = nullptr;
  for (const Item& item : items_) {
    if (item.stream != current) {
      if (current != nullptr) out->Append("]},");
      out->Append("{\"stream\":");
      out->Append(item.stream->labels_json);
      out->Append(",\"values\":[");
      current = item.stream;
    } else {
      out->Append(',');
    }
    out->Append("[\"");
    out->AppendInt(item.timestamp_ns);
    out->Append("\",\"");
    out->AppendJsonEscaped(std::string_view(lines_.data() + item.offset, item.size));
    out->Append("\"]");
  }
  out->Append("]}]}\n");
  items_.clear();
  lines_.Clear();
}

}  // namespace silt::loggen
