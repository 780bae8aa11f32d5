// Reading the `pipeline:` list (pipeline_config.h).
#include "aggregator/ingest/pipeline/pipeline_config.h"

#include <utility>

#include "shared/config/document.h"

namespace silt::ingest {
namespace {

using config::ObjectReader;

// Reads the stage `kind` of `item` with `read` when present; appends it and counts it in *found.
template <typename Config>
void ReadStage(ObjectReader& item, std::string_view kind, void (*read)(ObjectReader&, Config*),
               std::vector<StageConfig>* stages, int* found) {
  Config stage;
  if (item.Object(kind, [&](ObjectReader& s) { read(s, &stage); })) {
    ++*found;
    stages->push_back(std::move(stage));
  }
}

void ReadItem(ObjectReader& item, std::vector<StageConfig>* stages) {
  int found = 0;
  ReadStage(item, "json", &ReadJsonStage, stages, &found);
  ReadStage(item, "logfmt", &ReadLogfmtStage, stages, &found);
  ReadStage(item, "regex", &ReadRegexStage, stages, &found);
  ReadStage(item, "labels", &ReadLabelsStage, stages, &found);
  ReadStage(item, "timestamp", &ReadTimestampStage, stages, &found);
  ReadStage(item, "structured_metadata", &ReadStructuredMetadataStage, stages, &found);
  ReadStage(item, "output", &ReadOutputStage, stages, &found);
  ReadStage(item, "drop", &ReadDropStage, stages, &found);
  if (found == 0) {
    item.AddError("",
                  "expected one stage: json, logfmt, regex, labels, timestamp, "
                  "structured_metadata, output or drop, with its settings (`json: {}` for "
                  "none)");
  } else if (found > 1) {
    item.AddError("", "found " + std::to_string(found) +
                          " stages in one item; give each stage its own `- ` list item");
  }
}

}  // namespace

void ReadPipelineConfig(ObjectReader& r, std::string_view key, PipelineConfig* out) {
  std::vector<StageConfig> stages;
  if (r.List(key, [&](ObjectReader& item) { ReadItem(item, &stages); })) {
    out->stages = std::move(stages);
  }
}

Result<PipelineConfig> ParsePipelineConfig(std::string_view yaml, std::string name) {
  SILT_ASSIGN_OR_RETURN(config::Document doc, config::Document::LoadString(yaml, std::move(name)));
  ObjectReader r = doc.Root();
  PipelineConfig config;
  ReadPipelineConfig(r, "pipeline", &config);
  SILT_RETURN_IF_ERROR(r.Finish());
  return config;
}

}  // namespace silt::ingest
