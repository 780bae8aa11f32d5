// EntryWriter: writes one log entry of one format. The generator owns one writer per format and
// hands each call a LineContext with the stream, the timestamp, the size target and whether the
// entry must carry the rare token. Writers keep small state of their own (pickers, a few recent
// trace ids); not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/bench/loggen/message_builder.h"
#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/stream_set.h"
#include "tests/bench/loggen/text_buffer.h"
#include "tests/bench/loggen/timestamp_text.h"

namespace silt::loggen {

struct LineContext {
  Rng* rng = nullptr;  // content randomness
  TimestampText* times = nullptr;
  MessageBuilder* messages = nullptr;
  const Stream* stream = nullptr;
  int64_t timestamp_ns = 0;
  // Target length of the entry in bytes without the newline; 0 means natural length.
  int64_t desired_size = 0;
  // Non-empty when this entry must contain the rare token.
  std::string_view rare_token;

  // Bytes left for the free-text part when the entry so far spans out[line_start, size()):
  // MessageBuilder::kNatural when there is no size target, otherwise possibly <= 0.
  int64_t Budget(const TextBuffer& out, size_t line_start) const {
    if (desired_size <= 0) return MessageBuilder::kNatural;
    return desired_size - static_cast<int64_t>(out.size() - line_start);
  }
};

class EntryWriter {
 public:
  virtual ~EntryWriter() = default;

  // Appends one entry to `out`, without a trailing newline (a multi-line entry has '\n' between
  // its lines). Returns true when the entry was fitted to ctx.desired_size, false when it keeps
  // its natural size (a stack trace), so the generator leaves it out of its size accounting.
  virtual bool Write(const LineContext& ctx, TextBuffer* out) = 0;
};

}  // namespace silt::loggen
