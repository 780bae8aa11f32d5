// Metric results as text (docs/cli.md "Metric results"): a matrix or vector as an aligned table
// with one column per label name (sorted, the union over all series), then TIME for a matrix and
// VALUE; a scalar or string as its value alone; or, with --output jsonl, one JSON object per point:
//   {"timestamp":"2026-12-06T10:00:00Z","labels":{"job":"api"},"value":"2"}
// Columns are separated by two spaces; a label a series lacks prints as "-". Pure functions;
// thread-safe.
#pragma once

#include <string>

#include "aggregator/cli/entry_printer.h"
#include "aggregator/cli/loki_response.h"

namespace silt::cli {

// Appends `result` (matrix, vector, scalar or string) to *out as `mode` says (kRaw prints as
// kDefault). Precondition: result.type != kStreams.
void AppendMetricResult(const QueryResult& result, OutputMode mode, std::string* out);

}  // namespace silt::cli
