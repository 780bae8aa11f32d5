// Fuzz target for ParseQuery (aggregator/logql/query.h). The input is a query text. Parsing must
// never crash or hang; a query that parses must print canonical text that parses back to an equal
// AST and prints identically (the round-trip property of the parser tables), and a failure must
// be InvalidArgument with the "parse error at line L, col C: " prefix.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "aggregator/logql/query.h"

namespace {

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  silt::Result<silt::logql::Query> parsed = silt::logql::ParseQuery(text);
  if (!parsed.ok()) {
    Check(parsed.status().code() == silt::StatusCode::kInvalidArgument);
    Check(parsed.status().message().starts_with("parse error at line "));
    return 0;
  }
  std::string canonical = parsed->String();
  silt::Result<silt::logql::Query> reparsed = silt::logql::ParseQuery(canonical);
  Check(reparsed.ok());
  Check(*reparsed == *parsed);
  Check(reparsed->String() == canonical);
  return 0;
}
