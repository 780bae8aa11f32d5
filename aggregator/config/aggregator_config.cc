#include "aggregator/config/aggregator_config.h"

#include <charconv>
#include <utility>

#include "aggregator/engine/data_layout.h"
#include "shared/config/document.h"
#include "shared/fs/posix_file_system.h"
#include "shared/labels/validation.h"
#include "shared/net/tls_context.h"
#include "shared/time/clock.h"

namespace silt::aggregator {
namespace {

using config::ObjectReader;

constexpr int64_t kMaxFrameBytes = protocol::kMaxConfigurableBytes;

// Reads a ByteSize key that must lie in [min, max] into *out.
template <typename T>
void ReadBytes(ObjectReader& r, std::string_view key, T* out, int64_t min, int64_t max) {
  int64_t value = 0;
  if (!r.Optional(key, &value, config::ByteSize{})) return;
  if (value < min || value > max) {
    r.AddError(key, std::string(key) + " must be between " + std::to_string(min) + " and " +
                        std::to_string(max) + " bytes");
    return;
  }
  *out = static_cast<T>(value);
}

// `clients` names who presents certificates, for the client_ca_file message.
void ReadTls(ObjectReader& t, net::TlsServerOptions* tls, std::string_view clients = "agents") {
  t.Required("cert_file", &tls->cert_file);
  t.Required("key_file", &tls->key_file);
  t.Optional("client_ca_file", &tls->client_ca_file);
  t.Enum("client_auth", &tls->client_auth,
         {{"none", net::ClientAuth::kNone},
          {"optional", net::ClientAuth::kOptional},
          {"required", net::ClientAuth::kRequired}});
  t.Enum("min_version", &tls->min_version,
         {{"1.2", net::TlsVersion::kTls12}, {"1.3", net::TlsVersion::kTls13}});
  if (tls->client_auth != net::ClientAuth::kNone && tls->client_ca_file.empty()) {
    t.AddError("client_ca_file",
               "client_auth optional or required needs client_ca_file: the CA that signs the " +
                   std::string(clients) + "' certificates");
  }
}

void ReadSessionLimits(ObjectReader& a, server::AgentListenerOptions* o) {
  server::SessionOptions& s = o->session;
  if (a.Optional("max_inflight_batches", &s.max_inflight_batches) && s.max_inflight_batches == 0) {
    a.AddError("max_inflight_batches", "max_inflight_batches must be at least 1");
  }
  a.Optional("heartbeat_interval", &s.heartbeat_interval_ns, config::Duration{});
  a.Optional("idle_timeout", &s.idle_timeout_ns, config::Duration{});
  if (s.idle_timeout_ns != 0 && s.heartbeat_interval_ns != 0 &&
      s.idle_timeout_ns <= s.heartbeat_interval_ns) {
    a.AddError("idle_timeout",
               "idle_timeout must be longer than heartbeat_interval (or 0), or "
               "idle agents that send heartbeats would be cut off");
  }
  ReadBytes(a, "max_frame_bytes", &s.frame_limits.max_wire_bytes, 1024, kMaxFrameBytes);
  ReadBytes(a, "max_uncompressed_bytes", &s.frame_limits.max_uncompressed_bytes, 1024,
            kMaxFrameBytes);
  ReadBytes(a, "max_line_bytes", &s.max_line_bytes, 0, kMaxFrameBytes);
  ReadBytes(a, "max_unacked_bytes", &s.max_unacked_bytes, 1024, int64_t{1} << 40);
  a.Optional("drain_timeout", &o->drain_timeout_ns, config::Duration{});
  int64_t reconnect_ns = int64_t{o->reconnect_after_ms} * server::kMillisecondNs;
  if (a.Optional("reconnect_after", &reconnect_ns, config::Duration{})) {
    if (reconnect_ns > int64_t{3600} * 1'000'000'000) {
      a.AddError("reconnect_after", "reconnect_after must be at most 1h");
    } else {
      o->reconnect_after_ms = static_cast<uint32_t>(reconnect_ns / server::kMillisecondNs);
    }
  }
}

void ReadAgentListener(ObjectReader& r, server::AgentListenerOptions* o) {
  r.Object("agent_listener", [&](ObjectReader& a) {
    std::string listen;
    if (a.Optional("listen", &listen)) {
      Status parsed = ParseListenAddress(listen, &o->listen.host, &o->listen.port);
      if (!parsed.ok()) a.AddError("listen", parsed.message());
    }
    a.Optional("max_connections", &o->listen.max_connections);
    int64_t handshake_ns = o->listen.handshake_timeout.count() * server::kMillisecondNs;
    if (a.Optional("handshake_timeout", &handshake_ns, config::Duration{})) {
      o->listen.handshake_timeout =
          std::chrono::milliseconds(handshake_ns / server::kMillisecondNs);
    }
    a.Object("tls", [&](ObjectReader& t) {
      net::TlsServerOptions tls;
      ReadTls(t, &tls);
      o->listen.tls = std::move(tls);
    });
    ReadSessionLimits(a, o);
  });
}

void ReadAuth(ObjectReader& r, server::TenantAuth* auth) {
  r.Object("auth", [&](ObjectReader& a) {
    a.Optional("default_tenant", &auth->default_tenant);
    a.Optional("tokens", &auth->tokens);
    a.Optional("client_cn_tenants", &auth->client_cn_tenants);
    Status valid = server::ValidateTenantAuth(*auth);
    if (!valid.ok()) a.AddError("", valid.message());
  });
}

void ReadStorage(ObjectReader& r, engine::EngineOptions* e) {
  r.Object("storage", [&](ObjectReader& s) {
    ReadBytes(s, "wal_segment_size", &e->wal_segment_bytes, 64 << 10, int64_t{1} << 40);
    ReadBytes(s, "wal_max_queue", &e->wal_max_queue_bytes, 1 << 20, int64_t{1} << 40);
    s.Optional("wal_direct_io", &e->wal_direct_io);
    ReadBytes(s, "max_record_size", &e->max_record_bytes, 1 << 20, int64_t{1} << 31);
    ReadBytes(s, "head_max_bytes", &e->head.max_bytes, 1 << 20, int64_t{1} << 44);
    s.Optional("flush_watermark", &e->flush_watermark);
    s.Optional("out_of_order_window", &e->head.out_of_order_window_ns, config::Duration{});
    s.Optional("partition_length", &e->head.partition_ns, config::Duration{});
    s.Optional("max_partition_age", &e->head.max_partition_age_ns, config::Duration{});
    s.Optional("flush_check_interval", &e->flush_check_interval_ns, config::Duration{});
    s.Optional("source_mark_expiry", &e->source_mark_expiry_ns, config::Duration{});
    s.Enum("chunk_codec", &e->chunk.codec,
           {{"lz4", store::Codec::kLz4},
            {"zstd", store::Codec::kZstd},
            {"none", store::Codec::kNone}});
    s.Optional("chunk_zstd_level", &e->chunk.zstd_level);
    ReadBytes(s, "chunk_block_size", &e->chunk.target_block_size, 4 << 10, 64 << 20);
    // The engine's own range checks, with stand-ins for what wiring provides.
    fs::PosixFileSystem fs;
    time::SystemClock clock;
    engine::EngineOptions check = *e;
    check.fs = &fs;
    check.clock = &clock;
    Status valid = engine::ValidateEngineOptions(check);
    if (!valid.ok()) s.AddError("", valid.message());
  });
}

// A listen key of the syslog section: "" disables the transport.
void ReadSyslogListen(ObjectReader& s, std::string_view key, bool* enabled, std::string* host,
                      int* port) {
  std::string listen;
  if (!s.Optional(key, &listen)) return;
  *enabled = !listen.empty();
  if (!*enabled) return;
  Status parsed = ParseListenAddress(listen, host, port);
  if (!parsed.ok()) s.AddError(key, std::string(parsed.message()) + " (or \"\" to disable)");
}

void ReadSyslog(ObjectReader& r, ingest::SyslogOptions* o) {
  r.Object("syslog", [&](ObjectReader& s) {
    ReadSyslogListen(s, "tcp_listen", &o->tcp_enabled, &o->tcp.host, &o->tcp.port);
    ReadSyslogListen(s, "udp_listen", &o->udp_enabled, &o->udp_host, &o->udp_port);
    s.Optional("max_connections", &o->tcp.max_connections);
    s.Object("tls", [&](ObjectReader& t) {
      net::TlsServerOptions tls;
      ReadTls(t, &tls);
      o->tcp.tls = std::move(tls);
    });
    if (s.Optional("tenant", &o->tenant)) {
      Status valid = engine::ValidateTenantId(o->tenant);
      if (!valid.ok()) s.AddError("tenant", valid.message());
    }
    if (s.Optional("labels", &o->labels)) {
      for (const auto& [name, value] : o->labels) {
        Status valid = labels::ValidateLabelName(name, /*allow_reserved=*/false);
        if (!valid.ok()) s.AddError("labels", valid.message());
        if (value.empty()) s.AddError("labels", "static label \"" + name + "\" has no value");
      }
    }
    ReadBytes(s, "max_message_size", &o->max_message_size, 480, 16 << 20);
    ReadBytes(s, "udp_receive_buffer", &o->udp_receive_buffer, 0, int64_t{1} << 30);
    ReadBytes(s, "max_pending_bytes", &o->max_pending_bytes, 64 << 10, int64_t{1} << 40);
    ingest::ReadPipelineConfig(s, "pipeline", &o->pipeline);
  });
}

// limits: (Loki's limits_config names and defaults; docs/aggregator-config.md).
void ReadLimits(ObjectReader& r, ingest::PushLimits* l) {
  r.Object("limits", [&](ObjectReader& s) {
    ReadBytes(s, "max_line_size", &l->max_line_size, 0, int64_t{1} << 30);
    bool reject_old = true;
    s.Optional("reject_old_samples", &reject_old);
    s.Optional("reject_old_samples_max_age", &l->reject_old_samples_max_age_ns, config::Duration{});
    if (!reject_old) l->reject_old_samples_max_age_ns = 0;
    s.Optional("creation_grace_period", &l->creation_grace_period_ns, config::Duration{});
    s.Optional("max_label_names_per_series", &l->labels.max_labels);
    s.Optional("max_label_name_length", &l->labels.max_name_length);
    s.Optional("max_label_value_length", &l->labels.max_value_length);
    Status valid = ingest::ValidatePushLimits(*l);
    if (!valid.ok()) s.AddError("", valid.message());
  });
}

// The http.tail_* keys.
void ReadTail(ObjectReader& o, HttpApiConfig* h) {
  if (o.Optional("tail_max_connections", &h->tail_max_connections) &&
      h->tail_max_connections == 0) {
    o.AddError("tail_max_connections", "tail_max_connections must be at least 1");
  }
  if (o.Optional("tail_default_limit", &h->tail_default_limit) && h->tail_default_limit == 0) {
    o.AddError("tail_default_limit", "tail_default_limit must be at least 1");
  }
  o.Optional("tail_max_limit", &h->tail_max_limit);
  const size_t max_limit =
      h->tail_max_limit != 0 ? h->tail_max_limit : h->max_entries_limit_per_query;
  if (max_limit != 0 && h->tail_default_limit > max_limit) {
    o.AddError("tail_default_limit",
               "tail_default_limit (" + std::to_string(h->tail_default_limit) +
                   ") must not exceed the largest limit a tail may ask for (" +
                   std::to_string(max_limit) +
                   ", tail_max_limit or else max_entries_limit_per_query)");
  }
  if (o.Optional("tail_max_delay_for", &h->tail_max_delay_for_ns, config::Duration{}) &&
      (h->tail_max_delay_for_ns < 0 || h->tail_max_delay_for_ns % time::kSecond != 0)) {
    o.AddError("tail_max_delay_for",
               "tail_max_delay_for must be a whole number of seconds, 0 or more (delay_for is "
               "given in seconds), e.g. 5s");
  }
  ReadBytes(o, "tail_send_buffer", &h->tail_send_buffer_bytes, 1024, int64_t{1} << 32);
  if (o.Optional("tail_max_queued_entries", &h->tail_max_queued_entries) &&
      h->tail_max_queued_entries == 0) {
    o.AddError("tail_max_queued_entries", "tail_max_queued_entries must be at least 1");
  }
}

void ReadHttp(ObjectReader& r, HttpApiConfig* h) {
  r.Object("http", [&](ObjectReader& o) {
    std::string listen;
    if (o.Optional("listen", &listen)) {
      h->enabled = !listen.empty();
      Status parsed =
          h->enabled ? ParseListenAddress(listen, &h->server.host, &h->server.port) : Status::Ok();
      if (!parsed.ok()) o.AddError("listen", parsed.message());
    }
    o.Optional("max_connections", &h->server.max_connections);
    ReadBytes(o, "max_header_bytes", &h->server.max_header_bytes, 1024,
              int64_t{http::kMaxHeaderBytesLimit});
    ReadBytes(o, "max_body_bytes", &h->server.max_body_bytes, 1024, int64_t{1} << 32);
    ReadBytes(o, "max_decoded_body_bytes", &h->server.max_decoded_body_bytes, 1024,
              int64_t{1} << 32);
    o.Optional("header_timeout", &h->server.header_timeout, config::Duration{});
    o.Optional("read_timeout", &h->server.read_timeout, config::Duration{});
    o.Optional("keep_alive_timeout", &h->server.keep_alive_timeout, config::Duration{});
    o.Optional("write_timeout", &h->server.write_timeout, config::Duration{});
    o.Optional("query_workers", &h->query_workers);
    o.Optional("query_timeout", &h->query_timeout_ns, config::Duration{});
    ReadBytes(o, "max_query_memory", &h->max_query_memory_bytes, 0, int64_t{1} << 44);
    o.Optional("max_entries_limit_per_query", &h->max_entries_limit_per_query);
    o.Object("tls", [&](ObjectReader& t) {
      net::TlsServerOptions tls;
      tls.min_version = net::TlsVersion::kTls12;  // browsers, Grafana and push clients: 1.2+
      ReadTls(t, &tls, "HTTP clients");
      h->server.tls = std::move(tls);
    });
    o.Object("push", [&](ObjectReader& p) {
      ingest::ReadPipelineConfig(p, "pipeline", &h->push_pipeline);
    });
    ReadTail(o, h);
    Status valid = h->server.Validate();
    if (!valid.ok()) o.AddError("", valid.message());
  });
}

Result<AggregatorConfig> ReadAggregatorConfig(const config::Document& doc) {
  AggregatorConfig c;
  ObjectReader r = doc.Root();
  if (r.Optional("data_dir", &c.data_dir) && c.data_dir.empty()) {
    r.AddError("data_dir", "data_dir is empty; give the directory for the WAL and chunk files");
  }
  r.Enum("log_level", &c.log_level,
         {{"debug", log::Level::kDebug},
          {"info", log::Level::kInfo},
          {"warn", log::Level::kWarn},
          {"error", log::Level::kError}});
  ReadAgentListener(r, &c.agent_listener);
  ReadAuth(r, &c.agent_listener.auth);
  ReadStorage(r, &c.storage);
  ReadSyslog(r, &c.syslog);
  ReadLimits(r, &c.limits);
  ReadHttp(r, &c.http);
  SILT_RETURN_IF_ERROR(r.Finish());
  c.storage.data_dir = c.data_dir;
  return c;
}

}  // namespace

Status ParseListenAddress(std::string_view address, std::string* host, int* port) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "expected host:port such as 127.0.0.1:7458 or [::1]:7458 "
        "(port 0 picks a free port), got \"" +
        std::string(address) + "\"");
  };
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return bad();
  std::string_view h = address.substr(0, colon);
  std::string_view p = address.substr(colon + 1);
  if (h.front() == '[') {
    if (h.size() < 3 || h.back() != ']') return bad();
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return bad();  // an IPv6 literal needs brackets
  }
  int value = -1;
  auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value < 0 || value > 65535) {
    return bad();
  }
  *host = std::string(h);
  *port = value;
  return Status::Ok();
}

Result<AggregatorConfig> LoadAggregatorConfig(const std::string& path,
                                              config::LoadOptions options) {
  SILT_ASSIGN_OR_RETURN(config::Document doc, config::Document::LoadFile(path, std::move(options)));
  return ReadAggregatorConfig(doc);
}

Status CheckTlsFiles(const AggregatorConfig& config) {
  const std::pair<const char*, const std::optional<net::TlsServerOptions>*> listeners[] = {
      {"agent_listener.tls", &config.agent_listener.listen.tls},
      {"syslog.tls", config.syslog.tcp_enabled ? &config.syslog.tcp.tls : nullptr},
      {"http.tls", config.http.enabled ? &config.http.server.tls : nullptr},
  };
  for (const auto& [section, tls] : listeners) {
    if (tls == nullptr || !tls->has_value()) continue;
    Result<std::unique_ptr<net::TlsContext>> context = net::TlsContext::ForServer(**tls);
    if (!context.ok()) return context.status().WithContext(section);
  }
  return Status::Ok();
}

Result<AggregatorConfig> ParseAggregatorConfig(std::string_view text, std::string name,
                                               config::LoadOptions options) {
  SILT_ASSIGN_OR_RETURN(config::Document doc,
                        config::Document::LoadString(text, std::move(name), std::move(options)));
  return ReadAggregatorConfig(doc);
}

}  // namespace silt::aggregator
