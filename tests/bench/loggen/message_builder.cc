#include "tests/bench/loggen/message_builder.h"

#include <cstring>

#include "tests/bench/loggen/distributions.h"
#include "tests/bench/loggen/template_expander.h"
#include "tests/bench/loggen/vocabulary.h"

namespace silt::loggen {
namespace {

// Cuts `text` back to at most `limit` bytes at a word boundary, keeping at least the first word.
void CutToWords(int64_t limit, TextBuffer* text) {
  if (static_cast<int64_t>(text->size()) <= limit) return;
  const std::string_view view = text->view();
  const size_t first_space = view.find(' ');
  if (first_space == std::string_view::npos) return;
  size_t cut = limit > 0 ? view.rfind(' ', static_cast<size_t>(limit)) : first_space;
  if (cut == std::string_view::npos || cut < first_space) cut = first_space;
  text->Truncate(cut);
}

// Appends " word" while it fits in `limit` bytes.
void PadWithWords(Rng& rng, int64_t limit, TextBuffer* text) {
  while (true) {
    const std::string_view word = PickOne(rng, vocab::Words());
    if (static_cast<int64_t>(text->size() + 1 + word.size()) > limit) return;
    text->Append(' ');
    text->Append(word);
  }
}

}  // namespace

Level PickLevel(Rng& rng) {
  const uint64_t roll = rng.Uniform(100);
  if (roll < 6) return Level::kDebug;
  if (roll < 86) return Level::kInfo;
  if (roll < 95) return Level::kWarn;
  return Level::kError;
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}

std::string_view PickMessageTemplate(Rng& rng, Level level) {
  switch (level) {
    case Level::kDebug:
      return PickOne(rng, vocab::DebugMessages());
    case Level::kInfo:
      return PickOne(rng, vocab::InfoMessages());
    case Level::kWarn:
      return PickOne(rng, vocab::WarnMessages());
    case Level::kError:
      return PickOne(rng, vocab::ErrorMessages());
  }
  return PickOne(rng, vocab::InfoMessages());
}

void MessageBuilder::InsertMessage(Rng& rng, std::string_view template_text, int64_t budget,
                                   std::string_view rare_token, size_t at, TextBuffer* out) {
  scratch_.Clear();
  ExpandTemplate(rng, template_text, &scratch_);
  const int64_t rare_size = rare_token.empty() ? 0 : static_cast<int64_t>(rare_token.size()) + 1;
  if (budget != kNatural) CutToWords(budget - rare_size, &scratch_);
  if (!rare_token.empty()) {
    scratch_.Append(' ');
    scratch_.Append(rare_token);
  }
  if (budget != kNatural) PadWithWords(rng, budget, &scratch_);
  Insert(at, out);
}

void MessageBuilder::InsertQuery(Rng& rng, bool has_query, int64_t budget,
                                 std::string_view rare_token, size_t at, TextBuffer* out) {
  scratch_.Clear();
  char separator = has_query ? '&' : '?';
  if (!rare_token.empty()) {
    scratch_.Append(separator);
    scratch_.Append("q=");
    scratch_.Append(rare_token);
    separator = '&';
  }
  while (budget != kNatural) {
    const size_t mark = scratch_.size();
    scratch_.Append(separator);
    scratch_.Append(PickOne(rng, vocab::Words()));
    scratch_.Append('=');
    if (rng.Uniform(2) == 0) {
      scratch_.Append(PickOne(rng, vocab::Words()));
    } else {
      scratch_.AppendUint(rng.Uniform(1000));
    }
    if (static_cast<int64_t>(scratch_.size()) > budget) {
      scratch_.Truncate(mark);
      break;
    }
    separator = '&';
  }
  Insert(at, out);
}

void MessageBuilder::Insert(size_t at, TextBuffer* out) {
  char* gap = out->InsertGap(at, scratch_.size());
  std::memcpy(gap, scratch_.data(), scratch_.size());
}

}  // namespace silt::loggen
