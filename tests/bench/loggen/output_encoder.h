// Output encodings of generated entries:
//   plain      the entry and '\n'
//   jsonl      {"ts":"<RFC 3339, ns>","labels":{...},"line":"<JSON-escaped entry>"} and '\n'
//   loki-push  one Loki push request body per batch, and '\n':
//              {"streams":[{"stream":{...},"values":[["<unix ns>","<line>"],...]},...]}
//              entries grouped by stream (in stream order), in generation order within one.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "shared/status/result.h"
#include "tests/bench/loggen/generator.h"
#include "tests/bench/loggen/text_buffer.h"
#include "tests/bench/loggen/timestamp_text.h"

namespace silt::loggen {

enum class OutputMode { kPlain, kJsonl, kLokiPush };

// "plain", "jsonl", "loki-push".
std::string_view OutputModeName(OutputMode mode);
// Parses one of those names; InvalidArgument quoting `text` otherwise.
Result<OutputMode> ParseOutputMode(std::string_view text);

// Appends `entry` as a plain line.
void AppendPlain(const Entry& entry, TextBuffer* out);
// Appends `entry` as a jsonl record. `times` is a formatting cache.
void AppendJsonl(const Entry& entry, TimestampText* times, TextBuffer* out);

// Collects entries into Loki push bodies of up to `batch_size` entries.
class LokiPushBatcher {
 public:
  // Precondition: batch_size > 0.
  explicit LokiPushBatcher(size_t batch_size);

  // Copies `entry` into the current batch.
  void Add(const Entry& entry);
  size_t pending() const { return items_.size(); }
  bool full() const { return items_.size() >= batch_size_; }
  // Appends the pending entries as one push body and a '\n', and empties the batch. Appends
  // nothing when no entry is pending.
  void AppendBody(TextBuffer* out);

 private:
  struct Item {
    int64_t timestamp_ns;
    const Stream* stream;
    size_t offset;  // into lines_
    size_t size;
  };

  size_t batch_size_;
  std::vector<Item> items_;
  TextBuffer lines_;
};

}  // namespace silt::loggen
