// ShipperMetrics: the shipper's metrics, registered in the agent's Registry and updated live by
// ShipperSink (docs/agent-config.md, "Self-metrics", lists them with their meaning):
//
//   silt_agent_shipper_batches_sent_total         counter  Batch frames written (resends too)
//   silt_agent_shipper_resends_total              counter  Batch frames written again
//   silt_agent_shipper_batches_acked_total        counter
//   silt_agent_shipper_acked_entries_total        counter  entries in acked batches
//   silt_agent_shipper_batches_nacked_total{code} counter  by NackCode name
//   silt_agent_shipper_dropped_entries_total{reason} counter  entries refused for good
//   silt_agent_shipper_reconnects_total           counter  connection attempts after the first
//   silt_agent_shipper_connected                  gauge    1 while a session is established
//   silt_agent_shipper_inflight_batches           gauge    sent and not yet answered
//   silt_agent_shipper_inflight_bytes             gauge    their frame bytes
//   silt_agent_shipper_buffered_bytes             gauge    entry bytes held until acked
//   silt_agent_shipper_blocked                    gauge    1 while reading is paused
//   silt_agent_shipper_blocked_seconds_total      counter  time reading was paused
//   silt_agent_shipper_ack_latency_seconds        histogram  send to Ack
//
// Thread-safety: as metrics::Registry (updates on the loop thread, scrapes from anywhere).
#pragma once

#include <memory>

#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::agent {

struct ShipperMetrics {
  // Registers every metric in `registry`, which must outlive the result.
  static Result<std::unique_ptr<ShipperMetrics>> Create(metrics::Registry* registry);

  metrics::Counter* batches_sent = nullptr;
  metrics::Counter* resends = nullptr;
  metrics::Counter* batches_acked = nullptr;
  metrics::Counter* acked_entries = nullptr;
  metrics::CounterFamily* batches_nacked = nullptr;
  metrics::CounterFamily* dropped_entries = nullptr;
  metrics::Counter* reconnects = nullptr;
  metrics::Gauge* connected = nullptr;
  metrics::Gauge* inflight_batches = nullptr;
  metrics::Gauge* inflight_bytes = nullptr;
  metrics::Gauge* buffered_bytes = nullptr;
  metrics::Gauge* blocked = nullptr;
  metrics::Counter* blocked_seconds = nullptr;
  metrics::Histogram* ack_latency = nullptr;
};

}  // namespace silt::agent
