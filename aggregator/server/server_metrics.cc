#include "aggregator/server/server_metrics.h"

namespace silt::server {

Result<AgentServerMetrics> AgentServerMetrics::Register(metrics::Registry* r) {
  AgentServerMetrics m;
  SILT_ASSIGN_OR_RETURN(m.sessions,
                        r->RegisterGauge("silt_agent_sessions", "Open agent connections."));
  SILT_ASSIGN_OR_RETURN(m.sessions_started,
                        r->RegisterCounter("silt_agent_sessions_started_total",
                                           "Agent connections accepted by the listener."));
  SILT_ASSIGN_OR_RETURN(m.hello_rejected,
                        r->RegisterCounterFamily("silt_agent_hello_rejected_total",
                                                 "Hellos refused, by Nack code.", {"code"}));
  SILT_ASSIGN_OR_RETURN(m.batches_acked,
                        r->RegisterCounter("silt_agent_batches_acked_total",
                                           "Batches acknowledged after their WAL record was "
                                           "synced."));
  SILT_ASSIGN_OR_RETURN(m.batches_nacked,
                        r->RegisterCounterFamily("silt_agent_batches_nacked_total",
                                                 "Batches refused, by Nack code.", {"code"}));
  SILT_ASSIGN_OR_RETURN(
      m.entries, r->RegisterCounterFamily("silt_agent_entries_total",
                                          "Entries of acknowledged batches by outcome: accepted "
                                          "(stored), redelivered (already stored, dropped), "
                                          "rejected (too old).",
                                          {"outcome"}));
  SILT_ASSIGN_OR_RETURN(m.received_bytes,
                        r->RegisterCounter("silt_agent_received_bytes_total",
                                           "Frame bytes received from agents (on the wire)."));
  SILT_ASSIGN_OR_RETURN(m.lines_truncated,
                        r->RegisterCounter("silt_agent_lines_truncated_total",
                                           "Lines cut to agent_listener.max_line_bytes."));
  SILT_ASSIGN_OR_RETURN(m.frame_errors,
                        r->RegisterCounter("silt_agent_frame_errors_total",
                                           "Connections closed for a malformed frame or a "
                                           "protocol violation."));
  SILT_ASSIGN_OR_RETURN(m.idle_timeouts,
                        r->RegisterCounter("silt_agent_idle_timeouts_total",
                                           "Connections closed after agent_listener.idle_timeout "
                                           "without a frame."));
  SILT_ASSIGN_OR_RETURN(m.heartbeats,
                        r->RegisterCounter("silt_agent_heartbeats_total",
                                           "Heartbeats received from agents (and answered)."));
  return m;
}

void AgentServerMetrics::CountEntries(std::string_view outcome, uint64_t n) const {
  if (n != 0) entries->WithLabels({outcome}).Inc(n);
}

void AgentServerMetrics::CountNack(std::string_view code) const {
  batches_nacked->WithLabels({code}).Inc();
}

}  // namespace silt::server
