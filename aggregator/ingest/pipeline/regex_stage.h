// The `regex` stage: matches an RE2 expression (unanchored) against the line, or against a field
// named by `source`, and turns each named group that matched into a field:
//   - regex: {expression: '^(?P<ip>\S+) \S+ \S+ \[(?P<ts>[^\]]+)\] "(?P<method>\S+)'}
// No match is a failure (reason no_match; reason missing_field when `source` is absent) that
// leaves the entry's fields as they were. RE2 runs in linear time, so no input can make it slow.
// Thread-safety: see stage.h (RE2 objects are thread-safe).
#pragma once

#include <re2/re2.h>

#include <memory>
#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

struct RegexStageConfig {
  std::shared_ptr<const re2::RE2> regex;  // compiled, with at least one named group
  std::string source;                     // field to match; empty: the line
};

// Compiles `expression`; InvalidArgument with RE2's message when it does not compile or has no
// named group.
Result<std::shared_ptr<const re2::RE2>> CompileStageRegex(const std::string& expression);

// Reads the settings of a `regex:` stage (`expression`, `source`); errors are recorded in `r`.
void ReadRegexStage(config::ObjectReader& r, RegexStageConfig* out);

class RegexStage final : public Stage {
 public:
  RegexStage(RegexStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  RegexStageConfig config_;
  std::vector<std::pair<int, std::string>> groups_;  // (group index, name)
  metrics::Counter* no_match_;
  metrics::Counter* missing_field_;
};

}  // namespace silt::ingest
