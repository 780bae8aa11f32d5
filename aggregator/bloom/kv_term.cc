#include "aggregator/bloom/kv_term.h"

namespace silt::bloom {
namespace {

bool IsAlphanumeric(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

void AppendNormalizedName(std::string_view name, std::string* out) {
  // Copies runs of alphanumerics at once: most names are a single run.
  size_t pos = 0;
  while (pos < name.size()) {
    size_t start = pos;
    while (pos < name.size() && IsAlphanumeric(name[pos])) ++pos;
    out->append(name.data() + start, pos - start);
    while (pos < name.size() && !IsAlphanumeric(name[pos])) ++pos;
  }
}

bool MakeKeyValueTerm(std::string_view name, std::string_view value, std::string* out) {
  out->clear();
  if (value.empty()) return false;
  AppendNormalizedName(name, out);
  if (out->empty()) return false;
  out->push_back('=');
  out->append(value);
  return true;
}

}  // namespace silt::bloom
