// The `| json` parser, with Loki's semantics:
//   - without parameters the line must be a JSON object; every scalar member becomes a label
//     named after its key path joined with '_' (`{"a":{"b":1}}` gives a_b="1"), each key
//     sanitized (labels_builder.h); arrays and nulls are skipped; strings are unescaped, numbers
//     and booleans kept as written;
//   - with parameters (`| json code="status", host="servers[0].host"`) only those paths are
//     read: a scalar as above, an object or array as its raw JSON text, a missing path as no
//     label; a line that does not start with '{' or '[' is an error;
//   - a clash with a stream label gives `<name>_extracted`;
//   - a failure sets __error__=JSONParserErr and __error_details__ and keeps the entry (labels
//     read before the failure stay, as in Loki).
// Immutable after compilation; thread-safe (parser state lives in StageScratch).
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakeJsonParser(const JsonParser& parser);

}  // namespace silt::logql::pipeline
