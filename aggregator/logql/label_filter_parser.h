// Parses a label filter expression (label_filter_expr.h) after `|` or after `| unwrap x |`, with
// Loki's grammar and precedence: `and` binds tighter than `or`; `,` or a juxtaposed filter is an
// `and` whose right operand is the whole rest of the expression (as Loki's yacc grammar shifts
// it): `a, b or c` is `a and (b or c)`. Not thread-safe (uses one ParseContext).
#pragma once

#include "aggregator/logql/label_filter_expr.h"
#include "aggregator/logql/parse_context.h"

namespace silt::logql {

// Parses at the current token (a label name or '('). Errors as ParseContext reports them.
Result<LabelFilterExpr> ParseLabelFilter(ParseContext* ctx);

// True when the current token can start a label filter: a name followed by a comparison
// operator, or '('.
bool StartsLabelFilter(const ParseContext& ctx);

}  // namespace silt::logql
