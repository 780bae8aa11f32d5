#include "aggregator/cli/entry_printer.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>

#include "shared/json/json_string.h"
#include "shared/time/timestamp.h"

namespace silt::cli {
namespace {

// Bright ANSI colors that read on dark and light backgrounds.
constexpr const char* kPalette[] = {"\x1b[36m", "\x1b[33m", "\x1b[32m",
                                    "\x1b[35m", "\x1b[34m", "\x1b[31m"};
constexpr const char* kReset = "\x1b[0m";

}  // namespace

Result<OutputMode> ParseOutputMode(std::string_view text) {
  if (text == "default") return OutputMode::kDefault;
  if (text == "raw") return OutputMode::kRaw;
  if (text == "jsonl") return OutputMode::kJsonl;
  return Status::InvalidArgument("--output '" + std::string(text) +
                                 "' is not an output mode: use default, raw or jsonl");
}

EntryPrinter::EntryPrinter(PrintOptions options) : options_(std::move(options)) {}

LabelPairs EntryPrinter::Shown(const LabelPairs& labels) const {
  if (options_.include_labels.empty()) return labels;
  LabelPairs shown;
  for (const auto& pair : labels) {
    if (std::find(options_.include_labels.begin(), options_.include_labels.end(), pair.first) !=
        options_.include_labels.end()) {
      shown.push_back(pair);
    }
  }
  return shown;
}

void EntryPrinter::Append(const LabelPairs& labels, std::string_view stream_key,
                          const LogEntry& entry, std::string* out) const {
  switch (options_.mode) {
    case OutputMode::kRaw:
      out->append(entry.line);
      out->push_back('\n');
      return;
    case OutputMode::kJsonl:
      AppendJsonl(labels, entry, out);
      return;
    case OutputMode::kDefault:
      AppendDefault(labels, stream_key, entry, out);
      return;
  }
}

void EntryPrinter::AppendDefault(const LabelPairs& labels, std::string_view stream_key,
                                 const LogEntry& entry, std::string* out) const {
  out->append(time::FormatRfc3339Fixed(entry.timestamp_ns));
  out->push_back(' ');
  if (!options_.no_labels) {
    const std::string text =
        options_.include_labels.empty() ? std::string(stream_key) : CanonicalLabels(Shown(labels));
    if (options_.color) {
      out->append(kPalette[std::hash<std::string_view>()(stream_key) % std::size(kPalette)]);
      out->append(text);
      out->append(kReset);
    } else {
      out->append(text);
    }
    out->push_back(' ');
  }
  out->append(entry.line);
  out->push_back('\n');
}

void EntryPrinter::AppendJsonl(const LabelPairs& labels, const LogEntry& entry,
                               std::string* out) const {
  out->append("{\"timestamp\":\"");
  out->append(time::FormatRfc3339Nano(entry.timestamp_ns));
  out->append("\",\"labels\":");
  AppendJsonObject(Shown(labels), out);
  out->append(",\"line\":");
  json::AppendJsonString(entry.line, out);
  if (!entry.metadata.empty()) {
    out->append(",\"metadata\":");
    AppendJsonObject(entry.metadata, out);
  }
  out->append("}\n");
}

void AppendJsonObject(const LabelPairs& pairs, std::string* out) {
  out->push_back('{');
  for (size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out->push_back(',');
    json::AppendJsonString(pairs[i].first, out);
    out->push_back(':');
    json::AppendJsonString(pairs[i].second, out);
  }
  out->push_back('}');
}

bool ColorWanted(int fd) {
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fd) == 1;
}

}  // namespace silt::cli
