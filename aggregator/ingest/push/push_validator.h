// PushValidator: applies PushLimits to a DecodedPush and builds the storage engine's PushRequest
// from what passes, as Loki's distributor validates a push: per stream the labels (at least one,
// at most max_label_names_per_series, names and values within their lengths, valid names, UTF-8
// values), per entry the line size, the timestamp window [now - reject_old_samples_max_age,
// now + creation_grace_period] and structured metadata names. Everything refused is recorded in
// the DecodedPush's rejections with Loki's reason and message text; nothing valid is dropped.
// Thread-safety: pure function.
#pragma once

#include <cstdint>

#include "aggregator/engine/push_request.h"
#include "aggregator/ingest/push/decoded_push.h"
#include "aggregator/ingest/push/push_limits.h"

namespace silt::ingest {

// Fills `out->streams` with the valid entries of `decoded` (views into it: `decoded` must outlive
// the use of `out`); `out->tenant` is left to the caller. `now` is ns since the epoch.
// Returns the line bytes of the entries put in `out`.
size_t ValidatePush(const PushLimits& limits, int64_t now, DecodedPush* decoded,
                    engine::PushRequest* out);

}  // namespace silt::ingest
