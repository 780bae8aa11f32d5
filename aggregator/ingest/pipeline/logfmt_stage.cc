// The `logfmt` stage (logfmt_stage.h).
#include "aggregator/ingest/pipeline/logfmt_stage.h"

#include <utility>

#include "aggregator/bloom/json_unescape.h"

namespace silt::ingest {
namespace {

bool IsSeparator(char c) { return static_cast<unsigned char>(c) <= ' '; }

// Scans the pairs of `line`, calling on_pair(key, value) for each key with a non-empty value.
// `text` holds unescaped values. Returns false on a syntax error.
template <typename OnPair>
bool ScanLogfmt(std::string_view line, std::string* text, OnPair on_pair) {
  size_t i = 0;
  const size_t n = line.size();
  while (i < n) {
    if (IsSeparator(line[i])) {
      ++i;
      continue;
    }
    size_t key_start = i;
    while (i < n && line[i] != '=' && !IsSeparator(line[i])) ++i;
    std::string_view key = line.substr(key_start, i - key_start);
    if (i == n || line[i] != '=') continue;  // a bare key: no value
    if (key.empty()) return false;
    ++i;  // '='
    if (i < n && line[i] == '"') {
      size_t start = ++i;
      while (i < n && line[i] != '"') i += line[i] == '\\' ? 2 : 1;
      if (i >= n) return false;  // unterminated
      std::string_view body = line.substr(start, i - start);
      ++i;
      text->clear();
      if (!bloom::AppendUnescaped(body, text)) return false;
      if (!text->empty()) on_pair(key, std::string_view(*text));
      continue;
    }
    size_t value_start = i;
    while (i < n && !IsSeparator(line[i])) ++i;
    if (i > value_start) on_pair(key, line.substr(value_start, i - value_start));
  }
  return true;
}

}  // namespace

void ReadLogfmtStage(config::ObjectReader& r, LogfmtStageConfig* out) {
  r.Optional("fields", &out->fields);
}

LogfmtStage::LogfmtStage(LogfmtStageConfig config, const StageContext& context)
    : config_(std::move(config)), syntax_error_(&context.Failure("logfmt", kReasonSyntax)) {}

void LogfmtStage::Keep(std::string_view key, std::string_view value, FieldList* out) const {
  if (config_.fields.empty()) {
    out->Set(key, value);
    return;
  }
  for (const auto& [name, wanted] : config_.fields) {
    if (wanted == key) out->Set(name, value);
  }
}

StageOutcome LogfmtStage::Apply(PipelineEntry& entry) const {
  StageScratch& scratch = entry.scratch;
  scratch.pending.Clear();
  bool ok = ScanLogfmt(
      entry.line(), &scratch.text,
      [&](std::string_view key, std::string_view value) { Keep(key, value, &scratch.pending); });
  if (!ok) {
    syntax_error_->Inc();
    return StageOutcome::kContinue;
  }
  for (const Field& field : scratch.pending) entry.fields.Set(field.name, field.value);
  return StageOutcome::kContinue;
}

}  // namespace silt::ingest
