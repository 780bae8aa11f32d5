// Builds Loki protobuf push bodies for tests from the generated logproto classes: the serialised
// PushRequest, snappy-compressed, as Promtail sends it.
#pragma once

#include <snappy.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "aggregator/ingest/push/push.pb.h"

namespace silt::ingest::testing {

struct ProtoEntry {
  int64_t seconds = 0;
  int32_t nanos = 0;
  std::string line;
  std::vector<std::pair<std::string, std::string>> metadata;
};

struct ProtoStream {
  std::string labels;  // Prometheus text, e.g. {job="api"}
  std::vector<ProtoEntry> entries;
};

inline logproto::PushRequest MakePushRequest(const std::vector<ProtoStream>& streams) {
  logproto::PushRequest request;
  for (const ProtoStream& stream : streams) {
    logproto::StreamAdapter* out = request.add_streams();
    out->set_labels(stream.labels);
    for (const ProtoEntry& entry : stream.entries) {
      logproto::EntryAdapter* e = out->add_entries();
      e->mutable_timestamp()->set_seconds(entry.seconds);
      e->mutable_timestamp()->set_nanos(entry.nanos);
      e->set_line(entry.line);
      for (const auto& [name, value] : entry.metadata) {
        logproto::LabelPairAdapter* pair = e->add_structuredmetadata();
        pair->set_name(name);
        pair->set_value(value);
      }
    }
  }
  return request;
}

inline std::string Snappy(const std::string& raw) {
  std::string out;
  snappy::Compress(raw.data(), raw.size(), &out);
  return out;
}

// The snappy-compressed serialised request.
inline std::string ProtoBody(const std::vector<ProtoStream>& streams) {
  return Snappy(MakePushRequest(streams).SerializeAsString());
}

}  // namespace silt::ingest::testing
