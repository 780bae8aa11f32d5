#include "aggregator/ingest/syslog/syslog_metrics.h"

namespace silt::ingest {

Result<SyslogMetrics> SyslogMetrics::Register(metrics::Registry* r) {
  SyslogMetrics m;
  SILT_ASSIGN_OR_RETURN(
      m.messages, r->RegisterCounterFamily(
                      "silt_syslog_messages_total",
                      "Syslog messages received, by transport (tcp, udp) and result: parsed "
                      "(RFC 5424 or 3164) or raw (stored as received, with the receive time).",
                      {"transport", "result"}));
  SILT_ASSIGN_OR_RETURN(
      m.entries, r->RegisterCounterFamily(
                     "silt_syslog_entries_total",
                     "Syslog entries handed to storage by outcome: accepted (durable), rejected "
                     "(refused one by one, too old), dropped (the push was refused: UDP under "
                     "backpressure, or a storage error).",
                     {"transport", "outcome"}));
  SILT_ASSIGN_OR_RETURN(m.oversize,
                        r->RegisterCounterFamily("silt_syslog_oversize_total",
                                                 "Syslog messages refused for being longer than "
                                                 "syslog.max_message_size.",
                                                 {"transport"}));
  SILT_ASSIGN_OR_RETURN(
      m.received_bytes,
      r->RegisterCounterFamily("silt_syslog_received_bytes_total",
                               "Bytes received from syslog senders.", {"transport"}));
  SILT_ASSIGN_OR_RETURN(m.framing_errors,
                        r->RegisterCounter("silt_syslog_framing_errors_total",
                                           "TCP connections closed because the octet-counting "
                                           "framing was lost."));
  SILT_ASSIGN_OR_RETURN(m.retries,
                        r->RegisterCounter("silt_syslog_push_retries_total",
                                           "TCP batches retried after storage refused them for "
                                           "memory (ResourceExhausted)."));
  SILT_ASSIGN_OR_RETURN(
      m.connections, r->RegisterGauge("silt_syslog_connections", "Open syslog TCP connections."));
  return m;
}

void SyslogMetrics::CountMessage(std::string_view transport, bool parsed) const {
  messages->WithLabels({transport, parsed ? "parsed" : "raw"}).Inc();
}

void SyslogMetrics::CountEntries(std::string_view transport, std::string_view outcome,
                                 uint64_t n) const {
  if (n != 0) entries->WithLabels({transport, outcome}).Inc(n);
}

}  // namespace silt::ingest
