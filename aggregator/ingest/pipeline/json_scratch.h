// JsonScratch: the simdjson On-Demand parser and padded input buffer the `json` stage reuses from
// entry to entry. Internal to this library: simdjson's types depend on the compile flags of the
// translation unit (the SIMD implementation chosen), so they stay out of public headers and
// StageScratch holds this behind a pointer.
// Thread-safety: none; owned by one PipelineEntry.
#pragma once

#include <simdjson.h>

#include <string>

namespace silt::ingest {

struct JsonScratch {
  simdjson::ondemand::parser parser;
  std::string buffer;  // the line plus simdjson's padding
};

}  // namespace silt::ingest
