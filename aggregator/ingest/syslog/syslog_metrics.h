// SyslogMetrics: the syslog listeners' metrics in a metrics::Registry (docs/syslog.md
// "Metrics"). Registered once at startup; the pointers stay valid as long as the Registry.
// Thread-safety: as the metric types (any thread).
#pragma once

#include <string_view>

#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::ingest {

struct SyslogMetrics {
  metrics::CounterFamily* messages = nullptr;        // silt_syslog_messages_total{transport,result}
  metrics::CounterFamily* entries = nullptr;         // silt_syslog_entries_total{transport,outcome}
  metrics::CounterFamily* oversize = nullptr;        // silt_syslog_oversize_total{transport}
  metrics::CounterFamily* received_bytes = nullptr;  // silt_syslog_received_bytes_total{transport}
  metrics::Counter* framing_errors = nullptr;        // silt_syslog_framing_errors_total
  metrics::Counter* retries = nullptr;               // silt_syslog_push_retries_total
  metrics::Gauge* connections = nullptr;             // silt_syslog_connections

  // Registers every metric in `registry` (which must outlive the result). InvalidArgument when a
  // name is already registered with another shape.
  static Result<SyslogMetrics> Register(metrics::Registry* registry);

  void CountMessage(std::string_view transport, bool parsed) const;
  // outcome: accepted | rejected | dropped. No-op for n == 0.
  void CountEntries(std::string_view transport, std::string_view outcome, uint64_t n) const;
};

}  // namespace silt::ingest
