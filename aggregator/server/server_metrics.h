// AgentServerMetrics: the agent listener's metrics in a metrics::Registry (documented in
// docs/aggregator-config.md, "Metrics"). Registered once at startup; the pointers stay valid as
// long as the Registry. Thread-safety: as the metric types (any thread).
#pragma once

#include <string_view>

#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::server {

struct AgentServerMetrics {
  metrics::Gauge* sessions = nullptr;              // silt_agent_sessions
  metrics::Counter* sessions_started = nullptr;    // silt_agent_sessions_started_total
  metrics::CounterFamily* hello_rejected = nullptr;  // silt_agent_hello_rejected_total{code}
  metrics::Counter* batches_acked = nullptr;       // silt_agent_batches_acked_total
  metrics::CounterFamily* batches_nacked = nullptr;  // silt_agent_batches_nacked_total{code}
  metrics::CounterFamily* entries = nullptr;       // silt_agent_entries_total{outcome}
  metrics::Counter* received_bytes = nullptr;      // silt_agent_received_bytes_total
  metrics::Counter* lines_truncated = nullptr;     // silt_agent_lines_truncated_total
  metrics::Counter* frame_errors = nullptr;        // silt_agent_frame_errors_total
  metrics::Counter* idle_timeouts = nullptr;       // silt_agent_idle_timeouts_total
  metrics::Counter* heartbeats = nullptr;          // silt_agent_heartbeats_total

  // Registers every metric in `registry` (which must outlive the result). InvalidArgument when a
  // name is already registered with another shape.
  static Result<AgentServerMetrics> Register(metrics::Registry* registry);

  void CountEntries(std::string_view outcome, uint64_t n) const;
  void CountNack(std::string_view code) const;
};

}  // namespace silt::server
