// VolumeQuery: Loki's log volume endpoints, GET|POST /loki/api/v1/index/volume (one value per
// group over the range, a vector) and /index/volume_range (one value per group and step, a
// matrix): how many bytes the streams matching a selector hold in a time range, grouped by
// label values (aggregateBy=series) or by label names (aggregateBy=labels), largest first, the
// top `limit` groups kept (per step for volume_range, as Loki does).
//
// Grouping, as Loki's index does it: with targetLabels, by those labels (a stream must have
// every one of them: each missing from the selector is added as `name=~".+"`); without, by the
// label names of the selector's matchers, or by the whole label set for the match-all `{}`.
// aggregateBy=labels counts a stream once per label name it has (only the target labels when
// given) and answers each name as the metric {"<name>": ""}.
//
// Bytes, from what the engine knows without decompressing anything: a chunk-file block counts
// whole (its uncompressed size: the lines, their structured metadata and a few bytes of
// per-entry framing) when its time range overlaps the queried range, in the step of its newest
// entry (clamped into the range); head entries count exactly, their line bytes, in the step of
// their timestamp. So volumes are chunk-granular at the range edges, as Loki's (whose chunks are
// larger), and every block counts once: without a `limit` cut the steps of volume_range add up
// to volume. Loki counts line bytes plus 8 bytes per structured metadata pair; /index/stats
// counts as Silt does here.
//
// Thread-safety: functions of their arguments only; several may run at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aggregator/engine/storage_engine.h"
#include "shared/http/query_params.h"
#include "shared/labels/label_set.h"
#include "shared/labels/matcher.h"
#include "shared/status/result.h"
#include "shared/time/clock.h"

namespace silt::api {

enum class VolumeAggregation {
  kSeries,  // by label values (Loki's default)
  kLabels,  // by label names
};

inline constexpr size_t kDefaultVolumeLimit = 100;  // Loki's seriesvolume.DefaultLimit
inline constexpr int64_t kMaxVolumeSteps = 11000;   // Loki's limit of points per series

struct VolumeQueryRequest {
  // The selector's matchers; empty for the match-all selector `{}`.
  std::vector<labels::Matcher> matchers;
  std::vector<std::string> target_labels;  // empty: group as described above
  VolumeAggregation aggregate_by = VolumeAggregation::kSeries;
  size_t limit = kDefaultVolumeLimit;
  int64_t from = 0;     // inclusive, ns
  int64_t through = 0;  // inclusive, ns
  int64_t step = 0;     // volume_range: the step width; 0: one value for the range (volume)
};

// Reads limit, aggregateBy, targetLabels and, when `range`, step (default: Loki's, from
// request->from and through) from `params` into *request, whose range must be set.
// InvalidArgument with Loki's wording where Loki has one: "limit must be a positive value",
// "invalid aggregation option", a target label name that is not valid, a step that does not
// parse or is not positive, more than 11,000 steps.
Status ParseVolumeParams(const http::QueryParams& params, bool range, VolumeQueryRequest* request);

struct VolumeSample {
  int64_t timestamp = 0;  // ns: the end of the step (or of the range), as Loki
  uint64_t bytes = 0;
};

struct VolumeSeries {
  std::vector<labels::Label> metric;  // sorted by name
  std::vector<VolumeSample> samples;  // oldest first
};

struct VolumeQueryOptions {
  const time::Clock* clock = nullptr;  // required when timeout_ns > 0
  int64_t timeout_ns = 0;              // 0: none
  size_t max_series = 0;               // most groups before the top `limit` cut; 0: none
};

// The volumes of `request` for `tenant`, largest first (by their first sample; equal values by
// the group's text). InvalidArgument from the engine's selector rules; ResourceExhausted for
// the timeout or more than max_series groups ("the query hit the max number of series limit");
// the engine's errors otherwise.
Result<std::vector<VolumeSeries>> RunVolumeQuery(const engine::StorageEngine& engine,
                                                 std::string_view tenant,
                                                 const VolumeQueryRequest& request,
                                                 const VolumeQueryOptions& options);

// The response body: a vector (`value`, the first sample) for volume, a matrix (`values`) for
// volume_range, in the order given.
std::string EncodeVolumeResponse(std::span<const VolumeSeries> series, bool range);

}  // namespace silt::api
