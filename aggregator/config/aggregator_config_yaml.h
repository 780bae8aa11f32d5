// EncodeAggregatorConfigYaml: the effective AggregatorConfig as aggregator.yaml text, every key
// with its value after defaults (what GET /config serves). Durations and sizes in the forms the
// loader reads back ("30s", "64MiB"). Agent tokens are secrets and are shown as "<redacted>";
// certificate and key paths are not secrets and are shown. Ingest pipelines (syslog.pipeline,
// http.push.pipeline) are written stage by stage (ingest/pipeline/pipeline_config_yaml.h).
// Thread-safety: a pure function.
#pragma once

#include <string>

#include "aggregator/config/aggregator_config.h"

namespace silt::aggregator {

// The YAML document, ending with a newline.
std::string EncodeAggregatorConfigYaml(const AggregatorConfig& config);

}  // namespace silt::aggregator
