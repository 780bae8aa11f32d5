#include "agent/config/agent_config_yaml.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>

#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::agent {
namespace {

std::string Duration(int64_t nanos) { return time::FormatDuration(nanos); }
std::string Bytes(int64_t bytes) { return units::FormatByteSize(bytes); }

void EmitPositionsAndLines(const AgentConfig& c, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "positions" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "file" << YAML::Value << c.positions.file;
  y << YAML::Key << "save_interval" << YAML::Value << Duration(c.positions.save_interval_ns);
  y << YAML::EndMap;
  y << YAML::Key << "log_level" << YAML::Value << std::string(log::LevelName(c.log_level));
  y << YAML::Key << "labels" << YAML::Value << c.labels;
  y << YAML::Key << "read_from" << YAML::Value
    << (c.read_from == ReadFrom::kTail ? "tail" : "head");
  y << YAML::Key << "max_line_size" << YAML::Value << Bytes(c.max_line_size);
  y << YAML::Key << "max_line_size_policy" << YAML::Value
    << (c.max_line_size_policy == OversizeLinePolicy::kSkip ? "skip" : "truncate");
}

void EmitWatch(const WatchConfig& w, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::BeginMap;
  y << YAML::Key << "paths" << YAML::Value << w.paths;
  y << YAML::Key << "exclude" << YAML::Value << w.exclude;
  y << YAML::Key << "labels" << YAML::Value << w.labels;
  y << YAML::Key << "path_labels" << YAML::Value << w.path_labels;
  if (w.multiline.has_value()) {
    y << YAML::Key << "multiline" << YAML::Value << YAML::BeginMap;
    y << YAML::Key << "start_pattern" << YAML::Value << w.multiline->start_pattern;
    y << YAML::Key << "max_lines" << YAML::Value << w.multiline->max_lines;
    y << YAML::Key << "flush_timeout" << YAML::Value << Duration(w.multiline->flush_timeout_ns);
    y << YAML::EndMap;
  }
  y << YAML::Key << "encoding" << YAML::Value << w.encoding;
  y << YAML::EndMap;
}

void EmitTuning(const AgentConfig& c, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "batch" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "max_lines" << YAML::Value << c.batch.max_lines;
  y << YAML::Key << "max_bytes" << YAML::Value << Bytes(c.batch.max_bytes);
  y << YAML::Key << "linger" << YAML::Value << Duration(c.batch.linger_ns);
  y << YAML::EndMap;
  y << YAML::Key << "limits" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "max_open_files" << YAML::Value << c.limits.max_open_files;
  y << YAML::Key << "max_open_rotated" << YAML::Value << c.limits.max_open_rotated;
  y << YAML::Key << "rotate_wait" << YAML::Value << Duration(c.limits.rotate_wait_ns);
  y << YAML::Key << "forget_after" << YAML::Value << Duration(c.limits.forget_after_ns);
  y << YAML::EndMap;
  y << YAML::Key << "discovery" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "method" << YAML::Value
    << (c.discovery.method == WatchMethod::kPoll ? "poll" : "auto");
  y << YAML::Key << "rescan_interval" << YAML::Value << Duration(c.discovery.rescan_interval_ns);
  y << YAML::Key << "poll_interval" << YAML::Value << Duration(c.discovery.poll_interval_ns);
  y << YAML::Key << "inotify_max_directories" << YAML::Value << c.discovery.inotify_max_directories;
  y << YAML::Key << "ignored_suffixes" << YAML::Value << c.discovery.ignored_suffixes;
  y << YAML::EndMap;
  y << YAML::Key << "read" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "interval" << YAML::Value << Duration(c.read.interval_ns);
  y << YAML::Key << "chunk_size" << YAML::Value << Bytes(c.read.chunk_size);
  y << YAML::EndMap;
  y << YAML::Key << "status" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "log_interval" << YAML::Value << Duration(c.status.log_interval_ns);
  y << YAML::Key << "metrics_listen" << YAML::Value << c.status.metrics_listen;
  y << YAML::EndMap;
}

void EmitAggregator(const AggregatorConfig& a, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "aggregator" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "address" << YAML::Value << a.address;
  // A token is a password.
  y << YAML::Key << "token" << YAML::Value << (a.token.empty() ? "" : "<redacted>");
  y << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "enabled" << YAML::Value << a.tls.enabled;
  y << YAML::Key << "ca_file" << YAML::Value << a.tls.ca_file;
  y << YAML::Key << "cert_file" << YAML::Value << a.tls.cert_file;
  y << YAML::Key << "key_file" << YAML::Value << a.tls.key_file;
  y << YAML::Key << "server_name" << YAML::Value << a.tls.server_name;
  y << YAML::Key << "min_version" << YAML::Value
    << (a.tls.min_version == net::TlsVersion::kTls12 ? "1.2" : "1.3");
  y << YAML::EndMap;
  y << YAML::Key << "batch_max_bytes" << YAML::Value << Bytes(a.batch_max_bytes);
  y << YAML::Key << "linger" << YAML::Value << Duration(a.linger_ns);
  y << YAML::Key << "max_inflight_batches" << YAML::Value << a.max_inflight_batches;
  y << YAML::Key << "max_buffered_bytes" << YAML::Value << Bytes(a.max_buffered_bytes);
  y << YAML::Key << "backoff_min" << YAML::Value << Duration(a.backoff_min_ns);
  y << YAML::Key << "backoff_max" << YAML::Value << Duration(a.backoff_max_ns);
  y << YAML::Key << "connect_timeout" << YAML::Value << Duration(a.connect_timeout_ns);
  y << YAML::Key << "shutdown_timeout" << YAML::Value << Duration(a.shutdown_timeout_ns);
  y << YAML::EndMap;
}

}  // namespace

std::string EncodeAgentConfigYaml(const AgentConfig& config) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  EmitPositionsAndLines(config, &y);
  y << YAML::Key << "watches" << YAML::Value << YAML::BeginSeq;
  for (const WatchConfig& watch : config.watches) EmitWatch(watch, &y);
  y << YAML::EndSeq;
  EmitTuning(config, &y);
  if (config.aggregator.has_value()) EmitAggregator(*config.aggregator, &y);
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace silt::agent
