// PushMetrics: the push endpoints' metrics in a metrics::Registry (documented in
// docs/http-api.md "Push"). Registered once at startup; the pointers stay valid as long as the
// Registry. Thread-safety: as the metric types (any thread).
#pragma once

#include <string_view>

#include "aggregator/ingest/push/rejections.h"
#include "shared/metrics/registry.h"
#include "shared/status/result.h"

namespace silt::ingest {

// The `format` label: how a push body was encoded.
inline constexpr std::string_view kFormatJson = "json";          // Loki JSON
inline constexpr std::string_view kFormatProtobuf = "protobuf";  // Loki protobuf + snappy
inline constexpr std::string_view kFormatSimple = "simple";      // POST /api/v1/logs
inline constexpr std::string_view kFormatUnknown = "unknown";    // refused before decoding

struct PushMetrics {
  metrics::CounterFamily* requests = nullptr;  // silt_push_requests_total{format,status}
  metrics::CounterFamily* entries = nullptr;   // silt_push_entries_received_total{format}
  metrics::CounterFamily* bytes = nullptr;     // silt_push_bytes_received_total{format}
  // silt_discarded_samples_total{reason}, silt_discarded_bytes_total{reason}
  metrics::CounterFamily* discarded_samples = nullptr;
  metrics::CounterFamily* discarded_bytes = nullptr;

  // Registers every metric in `registry` (which must outlive the result). InvalidArgument when a
  // name is already registered with another shape.
  static Result<PushMetrics> Register(metrics::Registry* registry);

  void CountRequest(std::string_view format, int status) const;
  void CountDiscarded(const Rejections& rejections) const;
  void CountDiscarded(std::string_view reason, size_t entries, size_t bytes) const;
};

}  // namespace silt::ingest
