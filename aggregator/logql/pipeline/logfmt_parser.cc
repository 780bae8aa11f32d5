// The logfmt parser stage (logfmt_parser.h).
#include "aggregator/logql/pipeline/logfmt_parser.h"

#include <string>
#include <vector>

#include "aggregator/logql/pipeline/logfmt_scanner.h"

namespace silt::logql::pipeline {
namespace {

class LogfmtStage final : public Stage {
 public:
  explicit LogfmtStage(const LogfmtParser& parser)
      : strict_(parser.strict), keep_empty_(parser.keep_empty), params_(parser.params) {}

  bool Process(EntryContext* entry) const override {
    LogfmtScanner scanner(entry->line, &entry->scratch->value);
    for (;;) {
      LogfmtScanner::Outcome outcome = scanner.Next();
      if (outcome == LogfmtScanner::Outcome::kEnd) break;
      if (outcome == LogfmtScanner::Outcome::kError) {
        if (!strict_) continue;
        std::string* details = &entry->scratch->text;
        details->assign("logfmt syntax error at pos ");
        details->append(std::to_string(scanner.position()));
        details->append(": ");
        details->append(scanner.error());
        entry->labels->SetError(kLogfmtParserErr, *details);
        break;
      }
      if (scanner.value().empty() && !keep_empty_) continue;
      Extract(scanner.key(), scanner.value(), entry);
    }
    return true;
  }

 private:
  void Extract(std::string_view key, std::string_view value, EntryContext* entry) const {
    if (params_.empty()) {
      SanitizeLabelName(key, true, &entry->scratch->name);
      if (!entry->scratch->name.empty()) entry->labels->SetExtracted(entry->scratch->name, value);
      return;
    }
    for (const ExtractionParam& param : params_) {
      if (param.expression == key) entry->labels->SetExtracted(param.label, value);
    }
  }

  bool strict_;
  bool keep_empty_;
  std::vector<ExtractionParam> params_;
};

}  // namespace

std::unique_ptr<Stage> MakeLogfmtParser(const LogfmtParser& parser) {
  return std::make_unique<LogfmtStage>(parser);
}

}  // namespace silt::logql::pipeline
