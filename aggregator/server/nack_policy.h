// NackPolicy: how a refused push becomes the Nack an agent acts on. The storage engine says why
// with a Status code (aggregator/engine/storage_engine.h, Push); this maps each to a NackCode
// and a retry delay, so that backpressure is retried after a pause and bad batches are not
// resent:
//
//   ResourceExhausted "disk full"          -> disk_full,  retry after 10 s
//   ResourceExhausted (WAL queue, head)    -> wal_full,   retry after 1 s
//   Unavailable (range of a source still in flight, engine closing) -> internal, after 200 ms
//   IOError (the WAL stopped)              -> internal,   retry after 30 s
//   InvalidArgument "larger than"          -> too_large,  no retry (split the batch)
//   InvalidArgument (other)                -> malformed,  no retry
//   anything else                          -> internal,   retry after 5 s
//
// Stateless; thread-safe.
#pragma once

#include <cstdint>

#include "protocol/messages.h"
#include "shared/status/status.h"

namespace silt::server {

inline constexpr uint32_t kRetryDiskFullMs = 10'000;
inline constexpr uint32_t kRetryWalFullMs = 1'000;
inline constexpr uint32_t kRetryInFlightMs = 200;
// out_of_order (source_order.h): the agent resends the refused batch first in any case.
inline constexpr uint32_t kRetryOutOfOrderMs = 50;
inline constexpr uint32_t kRetryWalStoppedMs = 30'000;
inline constexpr uint32_t kRetryInternalMs = 5'000;

// The Nack for batch `batch_id` refused with `status` (precondition: not OK). Its reason is the
// status message.
protocol::NackMessage NackForPushError(uint64_t batch_id, const Status& status);

}  // namespace silt::server
