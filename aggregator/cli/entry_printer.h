// EntryPrinter: how `silt query`, `tail` and `export` write log entries (docs/cli.md "Output"):
//   default  <RFC 3339 UTC, 9 fraction digits> <labels> <line>
//            2026-12-06T10:00:00.000000000Z {job="api", level="info"} GET / 200
//            labels in color (one of six, picked by the stream) on a terminal unless NO_COLOR;
//            --no-labels leaves them out, --include-label keeps only the named ones
//   raw      the line only
//   jsonl    {"timestamp":"2026-12-06T10:00:00Z","labels":{"job":"api"},"line":"GET / 200"}
//            plus "metadata":{...} when the entry has structured metadata; timestamp as Go's
//            RFC3339Nano; labels honour --include-label; strings escaped as JSON (invalid UTF-8
//            becomes U+FFFD)
// Every entry ends with '\n'. Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aggregator/cli/batch_cursor.h"
#include "shared/status/result.h"

namespace silt::cli {

enum class OutputMode { kDefault, kRaw, kJsonl };

// Parses --output: "default", "raw" or "jsonl"; InvalidArgument otherwise.
Result<OutputMode> ParseOutputMode(std::string_view text);

struct PrintOptions {
  OutputMode mode = OutputMode::kDefault;
  bool no_labels = false;
  std::vector<std::string> include_labels;  // empty: all
  bool color = false;
};

class EntryPrinter {
 public:
  explicit EntryPrinter(PrintOptions options);

  // Appends `entry` of the stream with `labels` (and `stream_key`, its canonical text) to *out.
  void Append(const LabelPairs& labels, std::string_view stream_key, const LogEntry& entry,
              std::string* out) const;
  void Append(const FlatEntry& entry, std::string* out) const {
    Append(*entry.labels, entry.stream_key, entry.entry, out);
  }

 private:
  LabelPairs Shown(const LabelPairs& labels) const;
  void AppendDefault(const LabelPairs& labels, std::string_view stream_key, const LogEntry& entry,
                     std::string* out) const;
  void AppendJsonl(const LabelPairs& labels, const LogEntry& entry, std::string* out) const;

  PrintOptions options_;
};

// Appends {"name":"value",...} to *out.
void AppendJsonObject(const LabelPairs& pairs, std::string* out);

// True when color suits `fd`: it is a terminal and NO_COLOR is unset or empty.
bool ColorWanted(int fd);

}  // namespace silt::cli
