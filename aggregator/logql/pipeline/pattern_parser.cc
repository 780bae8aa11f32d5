// The pattern parser stage (pattern_parser.h).
#include "aggregator/logql/pipeline/pattern_parser.h"

#include "aggregator/logql/pipeline/pattern_matcher.h"

namespace silt::logql::pipeline {
namespace {

class PatternStage final : public Stage {
 public:
  explicit PatternStage(std::vector<PatternPart> parts) : matcher_(std::move(parts)) {}

  bool Process(EntryContext* entry) const override {
    matcher_.Extract(entry->line, [entry](std::string_view name, std::string_view value) {
      entry->labels->SetExtracted(name, value);
    });
    return true;
  }

 private:
  PatternMatcher matcher_;
};

}  // namespace

std::unique_ptr<Stage> MakePatternParser(const PatternParser& parser) {
  return std::make_unique<PatternStage>(parser.parts);
}

}  // namespace silt::logql::pipeline
