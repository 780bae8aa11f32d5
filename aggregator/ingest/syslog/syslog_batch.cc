#include "aggregator/ingest/syslog/syslog_batch.h"

#include <utility>

#include "shared/labels/utf8.h"

namespace silt::ingest {
namespace {

constexpr size_t kMaxLabelValueBytes = 2048;

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

}  // namespace

std::string StructuredDataName(std::string_view sd_id, std::string_view param) {
  std::string name;
  name.reserve(sd_id.size() + param.size() + 4);
  for (char c : sd_id) name.push_back(IsNameChar(c) ? c : '_');
  name.push_back('_');
  for (char c : param) name.push_back(IsNameChar(c) ? c : '_');
  if ((name[0] >= '0' && name[0] <= '9') || name.starts_with("__")) name.insert(0, "sd_");
  return name;
}

std::string LabelValue(std::string_view value) {
  std::string valid = labels::ReplaceInvalidUtf8(value.substr(0, kMaxLabelValueBytes));
  while (valid.size() > kMaxLabelValueBytes) {
    // Replacement characters made it longer: cut at a character boundary.
    size_t cut = kMaxLabelValueBytes;
    while (cut > 0 && (static_cast<unsigned char>(valid[cut]) & 0xC0) == 0x80) --cut;
    valid.resize(cut);
  }
  return valid;
}

SyslogBatch::SyslogBatch(const std::map<std::string, std::string>* static_labels,
                         const ListenerPipeline* pipeline)
    : static_labels_(static_labels), pipeline_(pipeline) {}

void SyslogBatch::AddEntry(labels::LabelSetBuilder& builder, int64_t timestamp,
                           std::string_view line, std::vector<labels::Label> metadata) {
  for (const auto& [name, value] : *static_labels_) builder.Set(name, value);
  labels::LabelSet set = builder.Build();
  if (pipeline_ == nullptr) {
    Add(StreamFor(std::move(set)), timestamp, line, std::move(metadata));
    return;
  }
  AddThroughPipeline(std::move(set), timestamp, line, metadata);
}

void SyslogBatch::AddThroughPipeline(labels::LabelSet set, int64_t timestamp, std::string_view line,
                                     const std::vector<labels::Label>& metadata) {
  std::vector<labels::LabelView> views;
  views.reserve(metadata.size());
  for (const labels::Label& label : metadata) views.push_back({label.name, label.value});
  PipelineEntry& entry = ListenerPipeline::ThreadEntry();
  entry.Reset(std::move(set), timestamp, line, views);
  labels::LabelSet output;
  if (!pipeline_->Apply(entry, &output)) return;
  std::vector<labels::Label> out_metadata;
  out_metadata.reserve(entry.metadata.size());
  for (const Field& field : entry.metadata) out_metadata.push_back({field.name, field.value});
  Add(StreamFor(std::move(output)), entry.timestamp, entry.line(), std::move(out_metadata));
}

size_t SyslogBatch::StreamFor(labels::LabelSet set) {
  auto [it, inserted] = stream_index_.emplace(set, streams_.size());
  if (inserted) {
    bytes_ += set.ToString().size();
    streams_.push_back(std::move(set));
  }
  return it->second;
}

void SyslogBatch::Add(size_t stream, int64_t timestamp, std::string_view line,
                      std::vector<labels::Label> metadata) {
  size_t size = line.size() + 16;
  for (const labels::Label& label : metadata) size += label.name.size() + label.value.size();
  bytes_ += size;
  entries_.push_back(Entry{.stream = stream,
                           .timestamp = timestamp,
                           .line = std::string(line),
                           .metadata = std::move(metadata)});
}

void SyslogBatch::AddParsed(const SyslogMessage& message, int64_t receive_ns,
                            std::string_view peer_host) {
  labels::LabelSetBuilder builder;
  std::string_view host = message.hostname.empty() ? peer_host : message.hostname;
  builder.Set("host", LabelValue(host.empty() ? std::string_view("unknown") : host));
  builder.Set("app", LabelValue(message.app_name));
  builder.Set("facility", FacilityName(message.facility));
  builder.Set("level", SeverityName(message.severity));
  std::vector<labels::Label> metadata;
  if (!message.msg_id.empty()) metadata.push_back({"msgid", LabelValue(message.msg_id)});
  if (!message.proc_id.empty()) metadata.push_back({"procid", LabelValue(message.proc_id)});
  for (const SdParam& param : message.structured_data) {
    if (param.value.empty()) continue;  // metadata has no empty values, as labels
    metadata.push_back({StructuredDataName(param.id, param.name), LabelValue(param.value)});
  }
  AddEntry(builder, message.has_timestamp ? message.timestamp : receive_ns, message.msg,
           std::move(metadata));
}

bool SyslogBatch::Add(std::string_view text, const ReceiveContext& context,
                      std::string_view peer_host) {
  SyslogMessage message;
  Status parsed = ParseSyslog(text, context, &message);
  if (parsed.ok()) {
    AddParsed(message, context.receive_time_ns, peer_host);
    return true;
  }
  AddRaw(TrimLineEnd(text), parsed.message(), context.receive_time_ns, peer_host);
  return false;
}

void SyslogBatch::AddRaw(std::string_view raw, std::string_view error, int64_t receive_ns,
                         std::string_view peer_host) {
  labels::LabelSetBuilder builder;
  builder.Set("host", LabelValue(peer_host.empty() ? std::string_view("unknown") : peer_host));
  std::vector<labels::Label> metadata;
  metadata.push_back({"syslog_error", LabelValue(error)});
  AddEntry(builder, receive_ns, raw, std::move(metadata));
}

engine::PushRequest SyslogBatch::BuildRequest(const std::string& tenant) {
  engine::PushRequest request;
  request.tenant = tenant;
  request.streams.resize(streams_.size());
  for (size_t i = 0; i < streams_.size(); ++i) request.streams[i].labels = streams_[i];
  metadata_views_.assign(entries_.size(), {});
  for (size_t i = 0; i < entries_.size(); ++i) {
    const Entry& entry = entries_[i];
    std::vector<labels::LabelView>& views = metadata_views_[i];
    for (const labels::Label& label : entry.metadata) views.push_back({label.name, label.value});
    request.streams[entry.stream].entries.push_back(
        engine::PushEntry{.timestamp = entry.timestamp, .line = entry.line, .metadata = views});
  }
  return request;
}

}  // namespace silt::ingest
