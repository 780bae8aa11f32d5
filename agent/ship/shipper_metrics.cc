#include "agent/ship/shipper_metrics.h"

namespace silt::agent {

Result<std::unique_ptr<ShipperMetrics>> ShipperMetrics::Create(metrics::Registry* r) {
  auto m = std::make_unique<ShipperMetrics>();
  SILT_ASSIGN_OR_RETURN(m->batches_sent,
                        r->RegisterCounter("silt_agent_shipper_batches_sent_total",
                                           "Batch frames written to the aggregator, resends too."));
  SILT_ASSIGN_OR_RETURN(m->resends, r->RegisterCounter("silt_agent_shipper_resends_total",
                                                       "Batch frames written again (after a "
                                                       "reconnect or a Nack)."));
  SILT_ASSIGN_OR_RETURN(m->batches_acked,
                        r->RegisterCounter("silt_agent_shipper_batches_acked_total",
                                           "Batches the aggregator acknowledged as durable."));
  SILT_ASSIGN_OR_RETURN(m->acked_entries,
                        r->RegisterCounter("silt_agent_shipper_acked_entries_total",
                                           "Entries in acknowledged batches."));
  SILT_ASSIGN_OR_RETURN(m->batches_nacked,
                        r->RegisterCounterFamily("silt_agent_shipper_batches_nacked_total",
                                                 "Batches refused by the aggregator, by code.",
                                                 {"code"}));
  SILT_ASSIGN_OR_RETURN(m->dropped_entries,
                        r->RegisterCounterFamily(
                            "silt_agent_shipper_dropped_entries_total",
                            "Entries the aggregator refused for good (malformed, or too large "
                            "alone), logged and skipped.",
                            {"reason"}));
  SILT_ASSIGN_OR_RETURN(m->reconnects,
                        r->RegisterCounter("silt_agent_shipper_reconnects_total",
                                           "Connection attempts after the first one."));
  SILT_ASSIGN_OR_RETURN(m->connected, r->RegisterGauge("silt_agent_shipper_connected",
                                                       "1 while a session with the aggregator "
                                                       "is established."));
  SILT_ASSIGN_OR_RETURN(m->inflight_batches,
                        r->RegisterGauge("silt_agent_shipper_inflight_batches",
                                         "Batches sent and not yet acked or nacked."));
  SILT_ASSIGN_OR_RETURN(m->inflight_bytes,
                        r->RegisterGauge("silt_agent_shipper_inflight_bytes",
                                         "Frame bytes of the batches in flight."));
  SILT_ASSIGN_OR_RETURN(m->buffered_bytes,
                        r->RegisterGauge("silt_agent_shipper_buffered_bytes",
                                         "Entry bytes held in memory until acked."));
  SILT_ASSIGN_OR_RETURN(m->blocked, r->RegisterGauge("silt_agent_shipper_blocked",
                                                     "1 while reading is paused because "
                                                     "max_buffered_bytes is reached."));
  SILT_ASSIGN_OR_RETURN(m->blocked_seconds,
                        r->RegisterCounter("silt_agent_shipper_blocked_seconds_total",
                                           "Seconds reading was paused by the shipper."));
  SILT_ASSIGN_OR_RETURN(m->ack_latency,
                        r->RegisterHistogram("silt_agent_shipper_ack_latency_seconds",
                                             "Time from writing a batch to its Ack.",
                                             {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                              0.5, 1, 2.5, 5, 10}));
  return m;
}

}  // namespace silt::agent
