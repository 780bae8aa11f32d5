// AggregatorConfig: the `aggregator:` section of agent.yaml, where and how silt-agent ships its
// lines (agent/ship). Every key, default and unit is in docs/agent-config.md ("aggregator").
//
// TLS is on by default (DESIGN.md: the agent protocol runs over TLS); the server certificate is
// checked against `tls.ca_file`, or the system trust store when that is empty. Plain TCP needs an
// explicit `tls: {enabled: false}`, for development and tests on one machine.
//
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "shared/config/object_reader.h"
#include "shared/net/tls_options.h"
#include "shared/status/status.h"

namespace silt::agent {

struct AggregatorConfig {
  struct Tls {
    bool enabled = true;
    std::string ca_file;    // empty: the system trust store
    std::string cert_file;  // client certificate (mutual TLS); with key_file
    std::string key_file;
    std::string server_name;  // empty: the host of `address`
    net::TlsVersion min_version = net::TlsVersion::kTls13;
  };

  std::string address = "127.0.0.1:7458";
  std::string host = "127.0.0.1";  // parsed from address ("[::1]:7458" gives "::1")
  int port = 7458;
  std::string token;
  Tls tls;
  int64_t batch_max_bytes = 1 << 20;            // 1 MiB of entries per Batch frame
  int64_t linger_ns = 100'000'000;              // 100 ms
  uint32_t max_inflight_batches = 8;            // lowered by Welcome.max_inflight_batches
  int64_t max_buffered_bytes = 16 << 20;        // 16 MiB: beyond it reading pauses
  int64_t backoff_min_ns = 100'000'000;         // 100 ms
  int64_t backoff_max_ns = 30'000'000'000;      // 30 s
  int64_t connect_timeout_ns = 10'000'000'000;  // 10 s, connect plus TLS handshake
  int64_t shutdown_timeout_ns = 5'000'000'000;  // 5 s waiting for acks at shutdown
};

// The TLS client options of the section (meaningful when tls.enabled).
net::TlsClientOptions TlsClientOptionsOf(const AggregatorConfig& config);
// Loads the section's TLS files (CA, client certificate and key) as each connection does. OK when
// TLS is off or they load; otherwise InvalidArgument naming the file ("aggregator.tls: TLS
// ca_file \"/etc/silt/tls/ca.pem\": cannot read: No such file or directory"). The agent checks
// this at start and in --check-config: a path that cannot work stops it there instead of leaving
// it retrying the connection forever.
Status CheckTlsFiles(const AggregatorConfig& config);

// Splits "host:port" or "[v6]:port" into *host and *port. False when `address` is not one.
bool SplitHostPort(const std::string& address, std::string* host, int* port);

// Reads the `aggregator` mapping at `key` of `r` into *out (set only when the key is present);
// problems are recorded on `r` with their key paths.
void ReadAggregatorConfig(config::ObjectReader& r, std::string_view key,
                          std::optional<AggregatorConfig>* out);

}  // namespace silt::agent
