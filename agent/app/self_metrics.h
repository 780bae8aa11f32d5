// SelfMetrics: the agent's own metrics in a shared/metrics Registry, exposed in the Prometheus
// text format on the optional metrics port. Update() copies an AgentStats snapshot into them:
// counters advance by the difference since the last update, gauges are set.
//
//   silt_agent_watched_paths                  gauge    paths the watches match and the agent tails
//   silt_agent_open_files                     gauge    open files, rotated ones included
//   silt_agent_open_rotated_files             gauge    rotated files still being drained
//   silt_agent_lag_bytes                      gauge    bytes in open files not read yet
//   silt_agent_read_bytes_total               counter  bytes read from files
//   silt_agent_read_lines_total               counter  lines read (before multiline joining)
//   silt_agent_rotations_total                counter  rename/create, delete or symlink rotations
//   silt_agent_truncations_total              counter  copytruncate and other truncations
//   silt_agent_dropped_bytes_total            counter  unread bytes of abandoned rotated files
//   ... and the rest listed in docs/agent-config.md ("Self-metrics").
//
// Thread-safety: Update on the loop thread; the registry may be scraped from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "agent/app/agent_stats.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::agent {

class SelfMetrics {
 public:
  // Registers every metric in `registry`, which must outlive the object. InvalidArgument when a
  // name is already registered with another shape.
  static Result<std::unique_ptr<SelfMetrics>> Create(metrics::Registry* registry);

  void Update(const AgentStats& stats);

 private:
  using Reader = uint64_t (*)(const AgentStats&);
  struct CounterBinding {
    metrics::Counter* counter;
    Reader read;
    uint64_t last = 0;
  };
  struct GaugeBinding {
    metrics::Gauge* gauge;
    Reader read;
  };

  SelfMetrics() = default;

  std::vector<CounterBinding> counters_;
  std::vector<GaugeBinding> gauges_;
};

}  // namespace silt::agent
