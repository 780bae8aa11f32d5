// PipelineConfig: the `pipeline:` list of a listener's config section, read through
// shared/config so every mistake is reported at file:line:column with the key path:
//
//   pipeline:
//     - json: {fields: {level: level, user: ctx.user, ts: time}}
//     - labels: {names: [level], max_values_per_label: 50}
//     - timestamp: {source: ts, format: RFC3339Nano}
//     - structured_metadata: {names: [user]}
//
// Each item is a mapping with exactly one key, the stage kind (json, logfmt, regex, labels,
// timestamp, structured_metadata, output, drop), whose value holds the stage's settings (`{}`
// for none). Everything that can be checked without data is checked while reading: regexes are
// compiled (RE2's message is reported), paths, time formats and zones parsed, label names
// validated. docs/pipelines.md documents every key.
//
// Thread-safety: reading follows shared/config (one thread). A read PipelineConfig is a value;
// its compiled parts are immutable and shared by copies.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "aggregator/ingest/pipeline/drop_stage.h"
#include "aggregator/ingest/pipeline/json_stage.h"
#include "aggregator/ingest/pipeline/labels_stage.h"
#include "aggregator/ingest/pipeline/logfmt_stage.h"
#include "aggregator/ingest/pipeline/output_stage.h"
#include "aggregator/ingest/pipeline/regex_stage.h"
#include "aggregator/ingest/pipeline/structured_metadata_stage.h"
#include "aggregator/ingest/pipeline/timestamp_stage.h"
#include "shared/config/object_reader.h"
#include "shared/status/result.h"

namespace silt::ingest {

using StageConfig = std::variant<JsonStageConfig, LogfmtStageConfig, RegexStageConfig,
                                 LabelsStageConfig, TimestampStageConfig,
                                 StructuredMetadataStageConfig, OutputStageConfig, DropStageConfig>;

struct PipelineConfig {
  std::vector<StageConfig> stages;  // in order
};

// Reads the list at `key` of the mapping `r` (a listener's section) into *out. Absent or null
// keeps *out unchanged. Every problem is recorded in `r` (reported by the root's Finish()):
// an item that is not a mapping, an item with no stage or with two, an unknown stage kind
// (with the closest name suggested), unknown or mistyped settings, a regex that does not
// compile, a bad path, time format or zone, an invalid or reserved label name.
void ReadPipelineConfig(config::ObjectReader& r, std::string_view key, PipelineConfig* out);

// Parses a YAML document whose top level holds only `pipeline:`; `name` stands for the source
// in messages. For tests, tools and callers that keep pipelines in files of their own.
Result<PipelineConfig> ParsePipelineConfig(std::string_view yaml, std::string name);

}  // namespace silt::ingest
