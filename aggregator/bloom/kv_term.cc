#include "aggregator/bloom/kv_term.h"

#include <array>

namespace silt::bloom {
namespace {

constexpr std::array<bool, 256> MakeAlphanumericTable() {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = true;
  return table;
}
constexpr std::array<bool, 256> kAlphanumeric = MakeAlphanumericTable();

bool IsAlphanumeric(char c) { return kAlphanumeric[static_cast<unsigned char>(c)]; }

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

std::string_view NormalizedName(std::string_view name, std::string* scratch) {
  size_t pos = 0;
  while (pos < name.size() && IsAlphanumeric(name[pos])) ++pos;
  if (pos == name.size()) return name;
  scratch->assign(name.data(), pos);
  AppendNormalizedName(name.substr(pos), scratch);
  return *scratch;
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
