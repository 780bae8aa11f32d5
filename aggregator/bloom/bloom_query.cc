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
  if (filter.MayContain(term)) return true;
  if (!TokensMayStandForValue(value)) return false;
  // The writer may have left the term out because the value was in the line between non-token
  // bytes; then each of the value's tokens (it has one: it holds digits) was added.
  bool all_tokens = true;
  ForEachToken(
      value, [&](std::string_view token) { all_tokens = all_tokens && filter.MayContain(token); });
  return all_tokens;
}

}  // namespace silt::bloom
