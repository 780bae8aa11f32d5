#include "tests/bench/api/push_body.h"

#include <snappy.h>

#include <cstdio>

#include "aggregator/ingest/push/push.pb.h"

namespace silt::bench {
namespace {

// Appends `text` as the inside of a JSON string (quotes, backslashes and controls escaped).
void AppendJsonEscaped(const std::string& text, std::string* out) {
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof(escaped), "\\u%04x", static_cast<unsigned char>(c));
      out->append(escaped);
    } else {
      out->push_back(c);
    }
  }
}

// {name="value", ...} with `"` and `\` escaped in values, as Prometheus prints label sets.
std::string PrometheusLabels(const std::vector<std::pair<std::string, std::string>>& labels) {
  std::string text = "{";
  for (const auto& [name, value] : labels) {
    if (text.size() > 1) text += ", ";
    text += name + "=\"";
    AppendJsonEscaped(value, &text);
    text += "\"";
  }
  return text + "}";
}

}  // namespace

std::string LokiJsonBody(const std::vector<BodyStream>& streams) {
  std::string body = "{\"streams\":[";
  for (size_t s = 0; s < streams.size(); ++s) {
    if (s > 0) body += ',';
    body += "{\"stream\":{";
    for (size_t l = 0; l < streams[s].labels.size(); ++l) {
      if (l > 0) body += ',';
      body += '"' + streams[s].labels[l].first + "\":\"";
      AppendJsonEscaped(streams[s].labels[l].second, &body);
      body += '"';
    }
    body += "},\"values\":[";
    for (size_t e = 0; e < streams[s].entries.size(); ++e) {
      if (e > 0) body += ',';
      body += "[\"" + std::to_string(streams[s].entries[e].first) + "\",\"";
      AppendJsonEscaped(streams[s].entries[e].second, &body);
      body += "\"]";
    }
    body += "]}";
  }
  return body + "]}";
}

std::string LokiProtoBody(const std::vector<BodyStream>& streams) {
  logproto::PushRequest request;
  for (const BodyStream& stream : streams) {
    logproto::StreamAdapter* out = request.add_streams();
    out->set_labels(PrometheusLabels(stream.labels));
    for (const auto& [nanos, line] : stream.entries) {
      logproto::EntryAdapter* entry = out->add_entries();
      entry->mutable_timestamp()->set_seconds(nanos / 1'000'000'000);
      entry->mutable_timestamp()->set_nanos(static_cast<int32_t>(nanos % 1'000'000'000));
      entry->set_line(line);
    }
  }
  const std::string raw = request.SerializeAsString();
  std::string compressed;
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

}  // namespace silt::bench
