// AggregatorConfig: silt-aggregator's YAML configuration (aggregator.yaml), every option with
// its default; with no file at all the defaults make a single node work (data in ./silt-data,
// agents on 127.0.0.1:7458). The reference, with defaults and units, is
// docs/aggregator-config.md; a commented example is aggregator/config/aggregator.example.yaml.
//
// Loading goes through shared/config: unknown keys, wrong types and invalid values are all
// reported at once, each as "<file>:<line>:<column>: <key path>: <problem>". Beyond types the
// loader checks the listen address, TLS settings that go together, tenant ids, frame limits and
// the storage engine's ranges (engine::ValidateEngineOptions).
//
// Thread-safety: a value type.
#pragma once

#include <string>
#include <string_view>

#include "aggregator/engine/engine_options.h"
#include "aggregator/ingest/pipeline/pipeline_config.h"
#include "aggregator/ingest/push/push_limits.h"
#include "aggregator/ingest/syslog/syslog_options.h"
#include "aggregator/server/agent_listener.h"
#include "shared/config/load_options.h"
#include "shared/http/server_options.h"
#include "shared/log/level.h"
#include "shared/status/result.h"
#include "shared/time/duration.h"

namespace silt::aggregator {

// http: the Loki-compatible API (docs/http-api.md). server.host/port default to 127.0.0.1:3100;
// server.tls comes from the optional tls: block (min_version 1.2 unless set); logger, metrics and
// clock are left null (wiring fills them).
struct HttpApiConfig {
  bool enabled = true;  // listen: "" turns the HTTP API off
  http::ServerOptions server;
  size_t query_workers = 0;  // 0: one per hardware thread
  int64_t query_timeout_ns = 60 * time::kSecond;
  int64_t max_query_memory_bytes = int64_t{512} << 20;
  size_t max_entries_limit_per_query = 5000;
  // http.push.pipeline: the ingest pipeline of POST /loki/api/v1/push and /api/v1/logs.
  ingest::PipelineConfig push_pipeline;
  // GET /loki/api/v1/tail (aggregator/tail/tail_handler.h).
  size_t tail_max_connections = 100;  // Loki's max_concurrent_tail_requests
  size_t tail_default_limit = 100;
  size_t tail_max_limit = 0;  // 0: max_entries_limit_per_query, as Loki
  int64_t tail_max_delay_for_ns = 5 * time::kSecond;
  size_t tail_send_buffer_bytes = size_t{4} << 20;
  size_t tail_max_queued_entries = 10'000;

  HttpApiConfig() { server.port = 3100; }
};

struct AggregatorConfig {
  std::string data_dir = "./silt-data";
  log::Level log_level = log::Level::kInfo;
  // agent_listener: and auth: (auth lands in agent_listener.auth).
  server::AgentListenerOptions agent_listener;
  // storage: the engine's knobs. fs, clock and logger are left null (wiring fills them);
  // data_dir mirrors the top-level data_dir.
  engine::EngineOptions storage;
  // syslog: the syslog TCP/UDP listeners (docs/syslog.md).
  ingest::SyslogOptions syslog;
  // limits: validation of pushed entries (Loki push, /api/v1/logs), Loki's defaults.
  ingest::PushLimits limits;
  HttpApiConfig http;

  AggregatorConfig() { storage.data_dir = data_dir; }
};

// Reads and validates the file at `path`. InvalidArgument listing every problem; the file
// system's error when it cannot be read.
Result<AggregatorConfig> LoadAggregatorConfig(const std::string& path,
                                              config::LoadOptions options = {});
// The same for YAML text; `name` stands for the source in messages.
Result<AggregatorConfig> ParseAggregatorConfig(std::string_view text, std::string name,
                                               config::LoadOptions options = {});

// Loads the TLS files (certificate, key, client CA) of every listener with TLS (agent_listener,
// syslog, http), as starting that listener would. OK when they all load (or no listener has TLS);
// otherwise InvalidArgument naming the section and the file ("agent_listener.tls: TLS cert_file
// \"/etc/silt/tls/server.pem\": cannot read: No such file or directory"). --check-config runs it,
// so what would stop the server at start is caught there.
Status CheckTlsFiles(const AggregatorConfig& config);

// Splits "host:port" or "[v6]:port" (port 0..65535). InvalidArgument with an example otherwise.
Status ParseListenAddress(std::string_view address, std::string* host, int* port);

}  // namespace silt::aggregator
