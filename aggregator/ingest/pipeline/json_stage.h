// The `json` stage: parses the line as a JSON object (simdjson On-Demand) and extracts fields,
// either every top-level member or the members named by path expressions:
//   - json: {}                                        # every top-level member
//   - json: {fields: {user: ctx.user, first: tags[0], ua: 'headers["User-Agent"]'}}
// A path is names joined by dots, [N] array indexes and ["key"] for names with dots or brackets.
// Values: strings unescaped, numbers and booleans as written, objects and arrays as their JSON
// text; null and missing paths give no field (not a failure). A line that is not a JSON object
// is a failure (reason not_json) that leaves the entry's fields as they were.
// Thread-safety: see stage.h.
#pragma once

#include <string>
#include <vector>

#include "aggregator/ingest/pipeline/stage.h"
#include "shared/config/object_reader.h"
#include "shared/status/result.h"

namespace silt::ingest {

struct JsonStageConfig {
  struct Field {
    std::string name;
    std::string path;     // as written
    std::string pointer;  // the same path as an RFC 6901 JSON Pointer
  };
  std::vector<Field> fields;  // empty: every top-level member
};

// Converts a path (`a.b`, `a[0]`, `a["x.y"]`) to a JSON Pointer (`/a/b`, `/a/0`, `/a/x.y`).
// InvalidArgument naming the 1-based column for an empty name, an unclosed bracket, or an index
// that is not digits.
Result<std::string> JsonPathToPointer(std::string_view path);

// Reads the settings of a `json:` stage (key `fields`); errors are recorded in `r`.
void ReadJsonStage(config::ObjectReader& r, JsonStageConfig* out);

class JsonStage final : public Stage {
 public:
  JsonStage(JsonStageConfig config, const StageContext& context);
  StageOutcome Apply(PipelineEntry& entry) const override;

 private:
  JsonStageConfig config_;
  metrics::Counter* not_json_;
};

}  // namespace silt::ingest
