// The `| logfmt` parser, with Loki's semantics (pairs as logfmt_scanner.h reads them):
//   - every key becomes a label (sanitized; a clash with a stream label gives `_extracted`;
//     the last of repeated keys wins); with parameters (`| logfmt host, code="status"`) only
//     the named keys are read, each into its parameter's label;
//   - standalone keys (`verbose`) and empty values are skipped unless --keep-empty, which keeps
//     them as present labels with an empty value (a LabelSet leaves empty values out, so they
//     are visible to later stages only);
//   - a malformed pair is skipped; with --strict parsing stops there and sets
//     __error__=LogfmtParserErr and __error_details__ ("logfmt syntax error at pos 8: unexpected
//     '='"), keeping the labels read before it and the entry.
// Immutable after compilation; thread-safe.
#pragma once

#include <memory>

#include "aggregator/logql/log_expr.h"
#include "aggregator/logql/pipeline/stage.h"

namespace silt::logql::pipeline {

std::unique_ptr<Stage> MakeLogfmtParser(const LogfmtParser& parser);

}  // namespace silt::logql::pipeline
