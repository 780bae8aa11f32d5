#include "aggregator/bloom/term_extractor.h"

#include "aggregator/bloom/json_unescape.h"
#include "aggregator/bloom/kv_term.h"
#include "aggregator/bloom/tokenizer.h"

namespace silt::bloom {

bool LooksLikeJsonObject(std::string_view line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{';
  }
  return false;
}

void TermExtractor::ForEachLineTerm(std::string_view line, TermCallback on_term) {
  ForEachToken(line, on_term);
  auto on_pair = [&](std::string_view name, std::string_view value) {
    EmitPair(name, value, on_term);
  };
  if (LooksLikeJsonObject(line)) json_.Scan(line, on_pair);
  if (line.find('=') != std::string_view::npos) logfmt_.Scan(line, on_pair);
}

void TermExtractor::ForEachPairTerm(std::string_view name, std::string_view value,
                                    TermCallback on_term) {
  normalized_name_.clear();
  AppendNormalizedName(name, &normalized_name_);
  if (!normalized_name_.empty()) EmitPair(normalized_name_, value, on_term);
}

void TermExtractor::EmitPair(std::string_view normalized_name, std::string_view value,
                             TermCallback on_term) {
  if (value.empty()) return;
  auto emit = [&](std::string_view v) {
    term_.assign(normalized_name);
    term_.push_back('=');
    term_.append(v);
    on_term(term_);
  };
  emit(value);
  bool ascii = true;
  for (char c : value) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (ascii) return;
  cleaned_.clear();
  if (AppendWithoutInvalidUtf8(value, &cleaned_) && !cleaned_.empty()) emit(cleaned_);
}

}  // namespace silt::bloom
