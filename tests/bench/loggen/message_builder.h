// MessageBuilder: the free-text part of a line (a message, or an access log's query string),
// which is where --line-size is met and where the rare token goes. A message is a vocabulary
// template with its placeholders filled; for a sized line it is then cut back at a word boundary
// (never below its first word) or padded with vocabulary words to fit the bytes left over by the
// rest of the line. The builder is inserted after the rest of the line is written, so it knows
// exactly how much room is left. Holds a scratch buffer; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/bench/loggen/rng.h"
#include "tests/bench/loggen/text_buffer.h"

namespace silt::loggen {

// Severity of an application log entry.
enum class Level { kDebug, kInfo, kWarn, kError };

// Debug 6%, info 80%, warn 9%, error 5%.
Level PickLevel(Rng& rng);
// "debug", "info", "warn", "error".
std::string_view LevelName(Level level);
// A message template of that level from the vocabulary.
std::string_view PickMessageTemplate(Rng& rng, Level level);

class MessageBuilder {
 public:
  // Sentinel budget: no size target, the message keeps its natural length.
  static constexpr int64_t kNatural = -1;

  MessageBuilder() : scratch_(1024) {}

  // Expands `template_text` and inserts it into `out` at byte `at`, fitted to `budget` bytes
  // (kNatural: not fitted). A non-empty `rare_token` is added as its own word and survives any
  // cut. Padding uses whole words, so the message may end a few bytes short of the budget; the
  // generator carries the difference into the next line's target.
  void InsertMessage(Rng& rng, std::string_view template_text, int64_t budget,
                     std::string_view rare_token, size_t at, TextBuffer* out);

  // Inserts query parameters ("?k=v&k=v", or starting with '&' when `has_query`) at `at`, as
  // many as fit in `budget` bytes (none for kNatural). A non-empty `rare_token` becomes the
  // first parameter "q=<token>", whatever the budget.
  void InsertQuery(Rng& rng, bool has_query, int64_t budget, std::string_view rare_token, size_t at,
                   TextBuffer* out);

 private:
  void Insert(size_t at, TextBuffer* out);

  TextBuffer scratch_;
};

}  // namespace silt::loggen
