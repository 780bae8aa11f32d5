#include "aggregator/bloom/bloom_query.h"

#include <string>

#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {

bool MayContainLiteral(const BloomFilter& filter, std::string_view literal) {
  bool may_contain = true;
  ForEachRequiredToken(literal, [&](std::string_view token) {
    if (may_contain && !filter.MayContain(token)) may_contain = false;
  });
  return may_contain;
}

bool MayContainKeyValue(const BloomFilter& filter, std::string_view name, std::string_view value) {
  std::string term;
  if (!MakeKeyValueTerm(name, value, &term)) return true;
  return filter.MayContain(term);
}

}  // namespace silt::bloom
