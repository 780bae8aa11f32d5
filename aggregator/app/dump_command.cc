#include "aggregator/app/dump_command.h"

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "aggregator/app/offline_engine.h"
#include "aggregator/engine/storage_engine.h"
#include "shared/json/json_string.h"
#include "shared/labels/label_parser.h"

namespace silt::aggregator {
namespace {

using StreamMap = std::map<labels::LabelSet, engine::StreamSelection>;

std::vector<std::string> TenantsOf(const engine::StorageEngine& engine) {
  std::set<std::string> tenants;
  for (std::string& tenant : engine.catalog().Tenants()) tenants.insert(std::move(tenant));
  for (const store::PartitionKey& key : engine.head().LivePartitions()) tenants.insert(key.tenant);
  for (const auto& frozen : engine.head().FrozenPartitions()) tenants.insert(frozen->tenant());
  return {tenants.begin(), tenants.end()};
}

// Every stream of `tenant` in range: the union over its label names of name=~".+" (each stream
// has at least one label), as the index refuses a selector that matches everything.
Result<StreamMap> AllStreams(const engine::StorageEngine& engine, const std::string& tenant,
                             const DumpOptions& o) {
  StreamMap streams;
  SILT_ASSIGN_OR_RETURN(std::vector<std::string> names,
                        engine.LabelNames(tenant, {}, o.since, o.until));
  for (const std::string& name : names) {
    SILT_ASSIGN_OR_RETURN(labels::Matcher any,
                          labels::Matcher::Create(labels::MatchType::kRegexMatch, name, ".+"));
    SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> selected,
                          engine.Select(tenant, std::span(&any, 1), o.since, o.until));
    for (engine::StreamSelection& s : selected) {
      labels::LabelSet key = s.labels;
      streams.emplace(std::move(key), std::move(s));
    }
  }
  return streams;
}

Result<StreamMap> SelectedStreams(const engine::StorageEngine& engine, const std::string& tenant,
                                  const std::vector<labels::Matcher>& matchers,
                                  const DumpOptions& o) {
  if (matchers.empty()) return AllStreams(engine, tenant, o);
  StreamMap streams;
  SILT_ASSIGN_OR_RETURN(std::vector<engine::StreamSelection> selected,
                        engine.Select(tenant, matchers, o.since, o.until));
  for (engine::StreamSelection& s : selected) {
    labels::LabelSet key = s.labels;
    streams.emplace(std::move(key), std::move(s));
  }
  return streams;
}

Result<std::vector<labels::Matcher>> ParseSelector(const std::string& selector) {
  std::vector<labels::Matcher> matchers;
  if (selector.empty()) return matchers;
  Result<labels::LabelSet> set = labels::ParseLabels(selector);
  if (!set.ok()) return set.status().WithContext("--selector '" + selector + "'");
  for (labels::LabelView label : *set) {
    SILT_ASSIGN_OR_RETURN(labels::Matcher m,
                          labels::Matcher::Create(labels::MatchType::kEqual,
                                                  std::string(label.name),
                                                  std::string(label.value)));
    matchers.push_back(std::move(m));
  }
  if (matchers.empty()) {
    return Status::InvalidArgument("--selector '" + selector +
                                   "' has no labels; give at least one, e.g. {job=\"api\"}");
  }
  return matchers;
}

void WriteStream(const std::string& tenant, const engine::StreamSelection& stream,
                 const DumpOptions& o, std::FILE* out) {
  std::string prefix = "{\"tenant\":";
  json::AppendJsonString(tenant, &prefix);
  prefix += ",\"labels\":";
  json::AppendJsonString(stream.labels.ToString(), &prefix);
  std::string line;
  std::vector<labels::LabelView> metadata;
  for (engine::StreamEntryIterator it = stream.NewIterator(o.since, o.until,
                                                           store::Direction::kForward);
       it.Valid(); it.Next()) {
    line = prefix;
    line += ",\"ts\":\"" + std::to_string(it.timestamp()) + "\",\"line\":";
    json::AppendJsonString(it.line(), &line);
    metadata.clear();
    it.AppendMetadata(&metadata);
    if (!metadata.empty()) {
      line += ",\"metadata\":{";
      for (size_t i = 0; i < metadata.size(); ++i) {
        if (i != 0) line += ',';
        json::AppendJsonString(metadata[i].name, &line);
        line += ':';
        json::AppendJsonString(metadata[i].value, &line);
      }
      line += '}';
    }
    line += "}\n";
    std::fwrite(line.data(), 1, line.size(), out);
  }
}

}  // namespace

Status RunDump(const DumpOptions& o, std::FILE* out, log::Logger* logger) {
  if (o.since >= o.until) {
    return Status::InvalidArgument("--since must be before --until");
  }
  SILT_ASSIGN_OR_RETURN(std::vector<labels::Matcher> matchers, ParseSelector(o.selector));
  SILT_ASSIGN_OR_RETURN(std::unique_ptr<OfflineEngine> offline,
                        OfflineEngine::Open(o.data_dir, /*create=*/false, logger));
  const engine::StorageEngine* engine = &offline->engine();
  std::vector<std::string> tenants =
      o.tenant.empty() ? TenantsOf(*engine) : std::vector<std::string>{o.tenant};
  for (const std::string& tenant : tenants) {
    SILT_ASSIGN_OR_RETURN(StreamMap streams, SelectedStreams(*engine, tenant, matchers, o));
    for (const auto& [labels, stream] : streams) WriteStream(tenant, stream, o, out);
  }
  if (std::fflush(out) != 0) return Status::IOError("writing the dump to stdout failed");
  return offline->Close();
}

}  // namespace silt::aggregator
