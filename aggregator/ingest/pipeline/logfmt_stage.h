// The `logfmt` stage: reads the line as logfmt (`level=info msg="a b" user=7`) and extracts
// either every pair or the keys named in `fields` (field name -> logfmt key):
//   - logfmt: {}
//   - logfmt: {fields: {level: level, user: user_id}}
// Pairs are separated by bytes <= ' '; a value is bare (up to the next space) or a double-quoted
// string with JSON escapes. A key without '=' or with an empty value gives no field. A malformed
// pair (an '=' without a key, an unterminated quote, a bad escape) is a failure (reason
// syntax_error) that leaves the entry's fields as they were.
// Thread-safety: see stage.h.
#pragma once

#include <map>
#include <string>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"

namespace silt::ingest {

struct LogfmtStageConfig {
  std::map<std::string, std::string> fields;  // field name -> key; empty: every pair
};

// Reads the settings of a `logfmt:` stage (key `fields`); errors are recorded in `r`.
void ReadLogfmtStage(config::ObjectReader& r, LogfmtStageConfig* out);

class LogfmtStage final : public Stage {
 public:
  LogfmtStage(LogfmtStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  // Adds the pair (key, value) to `out` when it is wanted, under its field name.
  void Keep(std::string_view key, std::string_view value, FieldList* out) const;

  LogfmtStageConfig config_;
  metrics::Counter* syntax_error_;
};

}  // namespace silt::ingest
