#include "aggregator/tail/tail_message.h"

#include <unordered_map>
#include <vector>

#include "shared/json/json_string.h"

namespace silt::tail {
namespace {

void AppendLabels(const labels::LabelSet& set, std::string* out) {
  out->push_back('{');
  bool first = true;
  for (const labels::LabelView label : set) {
    if (!first) out->push_back(',');
    first = false;
    json::AppendJsonString(label.name, out);
    out->push_back(':');
    json::AppendJsonString(label.value, out);
  }
  out->push_back('}');
}

}  // namespace

std::string EncodeTailMessage(std::span<const TailEntry> entries, std::span<const TailDrop> drops) {
  // Streams in order of first appearance; each holds the indexes of its entries.
  std::vector<std::vector<size_t>> groups;
  std::unordered_map<labels::LabelSet, size_t> group_of;
  for (size_t i = 0; i < entries.size(); ++i) {
    auto [it, added] = group_of.try_emplace(entries[i].labels, groups.size());
    if (added) groups.emplace_back();
    groups[it->second].push_back(i);
  }
  std::string out = "{\"streams\":[";
  for (size_t g = 0; g < groups.size(); ++g) {
    if (g > 0) out.push_back(',');
    out += "{\"stream\":";
    AppendLabels(entries[groups[g].front()].labels, &out);
    out += ",\"values\":[";
    for (size_t k = 0; k < groups[g].size(); ++k) {
      const TailEntry& entry = entries[groups[g][k]];
      if (k > 0) out.push_back(',');
      out += "[\"" + std::to_string(entry.timestamp) + "\",";
      json::AppendJsonString(entry.line, &out);
      out.push_back(']');
    }
    out += "]}";
  }
  out.push_back(']');
  if (!drops.empty()) {
    out += ",\"dropped_entries\":[";
    for (size_t i = 0; i < drops.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += "{\"labels\":";
      AppendLabels(drops[i].labels, &out);
      out += ",\"timestamp\":\"" + std::to_string(drops[i].timestamp) + "\"}";
    }
    out.push_back(']');
  }
  out.push_back('}');
  return out;
}

}  // namespace silt::tail
