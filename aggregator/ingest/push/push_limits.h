// PushLimits: the per-request validation limits of the push endpoints, with Loki's defaults
// (limits_config in Loki; `limits:` in aggregator.yaml, docs/aggregator-config.md). They apply
// to Loki push (JSON and protobuf) and POST /api/v1/logs alike.
// Thread-safety: a value type.
#pragma once

#include <cstddef>
#include <cstdint>

#include "shared/labels/validation.h"
#include "shared/status/status.h"
#include "shared/time/duration.h"

namespace silt::ingest {

struct PushLimits {
  // Longest line accepted, in bytes (Loki max_line_size 256KB); 0 = no limit.
  size_t max_line_size = 256 * 1024;
  // Entries older than now minus this are refused (Loki reject_old_samples_max_age 1w); 0 = off.
  int64_t reject_old_samples_max_age_ns = 7 * time::kDay;
  // Entries newer than now plus this are refused (Loki creation_grace_period 10m).
  int64_t creation_grace_period_ns = 10 * time::kMinute;
  // max_label_names_per_series 15, max_label_name_length 1024, max_label_value_length 2048.
  labels::ValidationLimits labels;
};

// OK, or InvalidArgument naming the field: a negative duration, or reserved label names allowed
// (only Silt's own labels may start with "__").
Status ValidatePushLimits(const PushLimits& limits);

}  // namespace silt::ingest
