#include "aggregator/ingest/push/push_metrics.h"

#include <string>

namespace silt::ingest {

Result<PushMetrics> PushMetrics::Register(metrics::Registry* r) {
  PushMetrics m;
  SILT_ASSIGN_OR_RETURN(
      m.requests, r->RegisterCounterFamily("silt_push_requests_total",
                                           "Push requests (Loki push and /api/v1/logs) answered, "
                                           "by body format and HTTP status.",
                                           {"format", "status"}));
  SILT_ASSIGN_OR_RETURN(m.entries,
                        r->RegisterCounterFamily("silt_push_entries_received_total",
                                                 "Entries stored durably from push requests, by "
                                                 "body format.",
                                                 {"format"}));
  SILT_ASSIGN_OR_RETURN(
      m.bytes, r->RegisterCounterFamily("silt_push_bytes_received_total",
                                        "Line bytes stored durably from push requests, by body "
                                        "format.",
                                        {"format"}));
  SILT_ASSIGN_OR_RETURN(m.discarded_samples,
                        r->RegisterCounterFamily("silt_discarded_samples_total",
                                                 "Pushed entries refused, by Loki's reason "
                                                 "(line_too_long, greater_than_max_sample_age...).",
                                                 {"reason"}));
  SILT_ASSIGN_OR_RETURN(m.discarded_bytes,
                        r->RegisterCounterFamily("silt_discarded_bytes_total",
                                                 "Line bytes of pushed entries refused, by "
                                                 "reason.",
                                                 {"reason"}));
  return m;
}

void PushMetrics::CountRequest(std::string_view format, int status) const {
  requests->WithLabels({format, std::to_string(status)}).Inc();
}

void PushMetrics::CountDiscarded(const Rejections& rejections) const {
  for (const Rejections::ReasonCount& count : rejections.by_reason()) {
    CountDiscarded(count.reason, count.entries, count.bytes);
  }
}

void PushMetrics::CountDiscarded(std::string_view reason, size_t entries, size_t bytes) const {
  if (entries != 0) discarded_samples->WithLabels({reason}).Inc(entries);
  if (bytes != 0) discarded_bytes->WithLabels({reason}).Inc(bytes);
}

}  // namespace silt::ingest
