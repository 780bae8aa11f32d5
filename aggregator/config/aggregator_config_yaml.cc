#include "aggregator/config/aggregator_config_yaml.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>

#include "aggregator/ingest/pipeline/pipeline_config_yaml.h"
#include "shared/time/duration.h"
#include "shared/units/byte_size.h"

namespace silt::aggregator {
namespace {

std::string Duration(int64_t nanos) { return time::FormatDuration(nanos); }
std::string Bytes(uint64_t bytes) { return units::FormatByteSize(static_cast<int64_t>(bytes)); }

std::string Address(const std::string& host, int port) {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

void EmitTls(const net::TlsServerOptions& tls, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "tls" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "cert_file" << YAML::Value << tls.cert_file;
  y << YAML::Key << "key_file" << YAML::Value << tls.key_file;
  y << YAML::Key << "client_ca_file" << YAML::Value << tls.client_ca_file;
  const char* auth = tls.client_auth == net::ClientAuth::kRequired   ? "required"
                     : tls.client_auth == net::ClientAuth::kOptional ? "optional"
                                                                     : "none";
  y << YAML::Key << "client_auth" << YAML::Value << auth;
  y << YAML::Key << "min_version" << YAML::Value
    << (tls.min_version == net::TlsVersion::kTls12 ? "1.2" : "1.3");
  y << YAML::EndMap;
}

void EmitAgentListener(const server::AgentListenerOptions& a, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  const server::SessionOptions& s = a.session;
  y << YAML::Key << "agent_listener" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "listen" << YAML::Value << Address(a.listen.host, a.listen.port);
  y << YAML::Key << "max_connections" << YAML::Value << a.listen.max_connections;
  y << YAML::Key << "handshake_timeout" << YAML::Value
    << Duration(a.listen.handshake_timeout.count() * time::kMillisecond);
  if (a.listen.tls.has_value()) EmitTls(*a.listen.tls, out);
  y << YAML::Key << "max_inflight_batches" << YAML::Value << s.max_inflight_batches;
  y << YAML::Key << "heartbeat_interval" << YAML::Value << Duration(s.heartbeat_interval_ns);
  y << YAML::Key << "idle_timeout" << YAML::Value << Duration(s.idle_timeout_ns);
  y << YAML::Key << "max_frame_bytes" << YAML::Value << Bytes(s.frame_limits.max_wire_bytes);
  y << YAML::Key << "max_uncompressed_bytes" << YAML::Value
    << Bytes(s.frame_limits.max_uncompressed_bytes);
  y << YAML::Key << "max_line_bytes" << YAML::Value << Bytes(s.max_line_bytes);
  y << YAML::Key << "max_unacked_bytes" << YAML::Value << Bytes(s.max_unacked_bytes);
  y << YAML::Key << "drain_timeout" << YAML::Value << Duration(a.drain_timeout_ns);
  y << YAML::Key << "reconnect_after" << YAML::Value
    << Duration(int64_t{a.reconnect_after_ms} * time::kMillisecond);
  y << YAML::EndMap;
}

void EmitAuth(const server::TenantAuth& auth, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "auth" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "default_tenant" << YAML::Value << auth.default_tenant;
  // A token is a password: only the tenants it maps to are shown.
  y << YAML::Key << "tokens" << YAML::Value << YAML::BeginMap;
  size_t n = 0;
  for (const auto& [token, tenant] : auth.tokens) {
    y << YAML::Key << "<redacted-" + std::to_string(++n) + ">" << YAML::Value << tenant;
  }
  y << YAML::EndMap;
  y << YAML::Key << "client_cn_tenants" << YAML::Value << auth.client_cn_tenants;
  y << YAML::EndMap;
}

void EmitStorage(const engine::EngineOptions& e, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "storage" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "wal_segment_size" << YAML::Value << Bytes(e.wal_segment_bytes);
  y << YAML::Key << "wal_max_queue" << YAML::Value << Bytes(e.wal_max_queue_bytes);
  y << YAML::Key << "wal_direct_io" << YAML::Value << e.wal_direct_io;
  y << YAML::Key << "max_record_size" << YAML::Value << Bytes(e.max_record_bytes);
  y << YAML::Key << "head_max_bytes" << YAML::Value << Bytes(e.head.max_bytes);
  y << YAML::Key << "flush_watermark" << YAML::Value << e.flush_watermark;
  y << YAML::Key << "out_of_order_window" << YAML::Value << Duration(e.head.out_of_order_window_ns);
  y << YAML::Key << "partition_length" << YAML::Value << Duration(e.head.partition_ns);
  y << YAML::Key << "max_partition_age" << YAML::Value << Duration(e.head.max_partition_age_ns);
  y << YAML::Key << "flush_check_interval" << YAML::Value << Duration(e.flush_check_interval_ns);
  y << YAML::Key << "source_mark_expiry" << YAML::Value << Duration(e.source_mark_expiry_ns);
  y << YAML::Key << "chunk_codec" << YAML::Value << std::string(store::CodecName(e.chunk.codec));
  y << YAML::Key << "chunk_zstd_level" << YAML::Value << e.chunk.zstd_level;
  y << YAML::Key << "chunk_block_size" << YAML::Value << Bytes(e.chunk.target_block_size);
  y << YAML::EndMap;
}

void EmitHttp(const HttpApiConfig& h, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  const http::ServerOptions& s = h.server;
  y << YAML::Key << "http" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "listen" << YAML::Value
    << (h.enabled ? Address(s.host, s.port) : std::string());
  y << YAML::Key << "max_connections" << YAML::Value << s.max_connections;
  y << YAML::Key << "max_header_bytes" << YAML::Value << Bytes(s.max_header_bytes);
  y << YAML::Key << "max_body_bytes" << YAML::Value << Bytes(s.max_body_bytes);
  y << YAML::Key << "max_decoded_body_bytes" << YAML::Value << Bytes(s.max_decoded_body_bytes);
  y << YAML::Key << "header_timeout" << YAML::Value << Duration(s.header_timeout);
  y << YAML::Key << "read_timeout" << YAML::Value << Duration(s.read_timeout);
  y << YAML::Key << "keep_alive_timeout" << YAML::Value << Duration(s.keep_alive_timeout);
  y << YAML::Key << "write_timeout" << YAML::Value << Duration(s.write_timeout);
  y << YAML::Key << "query_workers" << YAML::Value << h.query_workers;
  y << YAML::Key << "query_timeout" << YAML::Value << Duration(h.query_timeout_ns);
  y << YAML::Key << "max_query_memory" << YAML::Value << Bytes(h.max_query_memory_bytes);
  y << YAML::Key << "max_entries_limit_per_query" << YAML::Value << h.max_entries_limit_per_query;
  y << YAML::Key << "tail_max_connections" << YAML::Value << h.tail_max_connections;
  y << YAML::Key << "tail_default_limit" << YAML::Value << h.tail_default_limit;
  y << YAML::Key << "tail_max_limit" << YAML::Value << h.tail_max_limit;
  y << YAML::Key << "tail_max_delay_for" << YAML::Value << Duration(h.tail_max_delay_for_ns);
  y << YAML::Key << "tail_send_buffer" << YAML::Value << Bytes(h.tail_send_buffer_bytes);
  y << YAML::Key << "tail_max_queued_entries" << YAML::Value << h.tail_max_queued_entries;
  if (s.tls.has_value()) EmitTls(*s.tls, out);
  y << YAML::Key << "push" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "pipeline" << YAML::Value;
  ingest::EmitPipelineConfig(h.push_pipeline, out);
  y << YAML::EndMap;
  y << YAML::EndMap;
}

void EmitSyslog(const ingest::SyslogOptions& s, YAML::Emitter* out) {
  YAML::Emitter& y = *out;
  y << YAML::Key << "syslog" << YAML::Value << YAML::BeginMap;
  y << YAML::Key << "tcp_listen" << YAML::Value
    << (s.tcp_enabled ? Address(s.tcp.host, s.tcp.port) : std::string());
  y << YAML::Key << "udp_listen" << YAML::Value
    << (s.udp_enabled ? Address(s.udp_host, s.udp_port) : std::string());
  y << YAML::Key << "max_connections" << YAML::Value << s.tcp.max_connections;
  if (s.tcp.tls.has_value()) EmitTls(*s.tcp.tls, out);
  y << YAML::Key << "tenant" << YAML::Value << s.tenant;
  y << YAML::Key << "labels" << YAML::Value << s.labels;
  y << YAML::Key << "max_message_size" << YAML::Value << Bytes(s.max_message_size);
  y << YAML::Key << "udp_receive_buffer" << YAML::Value << Bytes(s.udp_receive_buffer);
  y << YAML::Key << "max_pending_bytes" << YAML::Value << Bytes(s.max_pending_bytes);
  y << YAML::Key << "pipeline" << YAML::Value;
  ingest::EmitPipelineConfig(s.pipeline, out);
  y << YAML::EndMap;
}

}  // namespace

std::string EncodeAggregatorConfigYaml(const AggregatorConfig& config) {
  YAML::Emitter y;
  y << YAML::BeginMap;
  y << YAML::Key << "data_dir" << YAML::Value << config.data_dir;
  y << YAML::Key << "log_level" << YAML::Value << std::string(log::LevelName(config.log_level));
  EmitAgentListener(config.agent_listener, &y);
  EmitAuth(config.agent_listener.auth, &y);
  EmitStorage(config.storage, &y);
  EmitSyslog(config.syslog, &y);
  EmitHttp(config.http, &y);
  y << YAML::EndMap;
  return std::string(y.c_str()) + "\n";
}

}  // namespace silt::aggregator
