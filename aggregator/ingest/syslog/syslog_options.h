// SyslogOptions: the `syslog:` section of aggregator.yaml (docs/aggregator-config.md, section
// syslog; docs/syslog.md). Plain data, copied into the SyslogService.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "aggregator/ingest/pipeline/pipeline_config.h"
#include "shared/net/stream_listener.h"

namespace silt::ingest {

inline constexpr int kDefaultSyslogPort = 1514;
inline constexpr int64_t kSyslogMillisecondNs = 1'000'000;

struct SyslogOptions {
  SyslogOptions() {
    tcp.port = kDefaultSyslogPort;
    tcp.component = "syslog-tcp";
  }
  // TCP listener (host, port, optional TLS per RFC 5425, max_connections).
  bool tcp_enabled = true;
  net::ListenOptions tcp;
  bool udp_enabled = true;
  std::string udp_host = "127.0.0.1";
  int udp_port = kDefaultSyslogPort;
  // Every entry is stored under this tenant.
  std::string tenant = "fake";
  // Added to every stream (names validated by the config loader).
  std::map<std::string, std::string> labels;
  // Longer messages are refused and counted (TCP frames, UDP datagrams).
  size_t max_message_size = size_t{64} << 10;
  // SO_RCVBUF requested for the UDP socket (the kernel may cap it: net.core.rmem_max).
  size_t udp_receive_buffer = size_t{8} << 20;
  // A TCP connection stops being read while this many bytes of its messages wait for the engine.
  size_t max_pending_bytes = size_t{16} << 20;
  // UDP datagrams are batched for this long before going to the engine.
  int64_t udp_linger_ns = 20 * kSyslogMillisecondNs;
  // A refused (ResourceExhausted) TCP batch is retried after this long.
  int64_t retry_interval_ns = 100 * kSyslogMillisecondNs;
  // Ingest pipeline run on every entry (docs/pipelines.md); no stages: none.
  PipelineConfig pipeline;
  // Shutdown waits this long for buffered messages to be stored before closing anyway.
  int64_t drain_timeout_ns = 10'000 * kSyslogMillisecondNs;
};

}  // namespace silt::ingest
